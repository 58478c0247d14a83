// Message Archive Management on pubsub nodes (XEP-0313 with XEP-0442): <query node='N'/> pages through
// a node's items in publish order, by time (start/end) and XEP-0059 RSM over archive ids, with the
// access rules of item retrieval. Each item comes back as a <result/> message wrapping the notification
// a subscriber would have received (XEP-0442 section 3), then the IQ result carries <fin/>.

import { xml, type Element } from '../../xml/element.js';
import { escapeAttribute } from '../../xml/escape.js';
import { NS } from '../../protocol/namespaces.js';
import { dataFormElement, findForm, formType, parseDataForm } from '../../protocol/data-form.js';
import { parseRsm, rsmElement } from '../../protocol/rsm.js';
import type { ArchiveQuery } from './engine/types.js';
import { itemXml } from './item-xml.js';
import { requestError, unwrap } from './pubsub-errors.js';
import type { ServiceScope } from './pubsub-request.js';
import { RawXml } from './raw-xml.js';

const a = escapeAttribute;

/** The query form (XEP-0313 4.1.5): the fields a node archive understands. */
export function archiveQueryForm(): Element {
  return xml(
    'query',
    { xmlns: NS.MAM },
    dataFormElement({
      type: 'form',
      fields: [
        { var: 'FORM_TYPE', type: 'hidden', values: [NS.MAM] },
        { var: 'with', type: 'jid-single', values: [] },
        { var: 'start', type: 'text-single', values: [] },
        { var: 'end', type: 'text-single', values: [] },
      ],
    }),
  );
}

/** XEP-0082 DateTime with a zone; anything else is a bad request. */
function instant(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value.trim());
  const ms = ok ? Date.parse(value.trim()) : Number.NaN;
  if (Number.isNaN(ms)) throw requestError({ condition: 'bad-request', text: `${name} is not an XEP-0082 DateTime` });
  return ms;
}

function readQuery(query: Element): ArchiveQuery {
  const out: ArchiveQuery = {};
  const x = findForm(query);
  if (x) {
    let form;
    try {
      form = parseDataForm(x);
    } catch (err) {
      throw requestError({ condition: 'bad-request', text: (err as Error).message });
    }
    if (form.type !== 'submit' || (formType(form) !== undefined && formType(form) !== NS.MAM)) {
      throw requestError({ condition: 'bad-request', text: `the query form is a submission of FORM_TYPE ${NS.MAM}` });
    }
    for (const field of form.fields) {
      const value = field.values[0];
      switch (field.var) {
        case 'FORM_TYPE':
          break;
        case 'start':
          out.start = instant(value, 'start');
          break;
        case 'end':
          out.end = instant(value, 'end');
          break;
        case 'with':
          // Items have no correspondent; the engine does not filter node archives by publisher.
          if (value) throw requestError({ condition: 'feature-not-implemented', text: 'with is not supported on node archives' });
          break;
        default:
          // 4.1.5: a field the archive does not know is feature-not-implemented.
          throw requestError({ condition: 'feature-not-implemented', text: `unknown query field ${field.var}` });
      }
    }
  }
  try {
    const rsm = parseRsm(query);
    if (rsm) out.rsm = rsm;
  } catch (err) {
    throw requestError({ condition: 'bad-request', text: (err as Error).message });
  }
  return out;
}

/**
 * Runs an archive query and sends the result messages to the requester; resolves with the <fin/> for
 * the IQ result, which the caller sends after them.
 */
export async function queryNodeArchive(scope: ServiceScope, from: string, query: Element): Promise<Element> {
  const node = query.attrs.node;
  if (node === undefined || node === '') {
    throw requestError({ condition: 'bad-request', text: 'this service keeps archives per node: name one with node=' }, 'nodeid-required');
  }
  const page = unwrap(await scope.engine.queryArchive(from, node, readQuery(query)));
  const queryid = query.attrs.queryid;
  const items = query.getChild('flip-page') ? [...page.items].reverse() : page.items;
  for (const item of items) {
    const result =
      `<result xmlns='${NS.MAM}'${queryid !== undefined ? ` queryid='${a(queryid)}'` : ''} id='${a(item.archiveId)}'>` +
      // Millisecond stamps (XEP-0082 allows fractions), so that a client can resume by time exactly.
      `<forwarded xmlns='${NS.FORWARD}'><delay xmlns='${NS.DELAY}' stamp='${new Date(item.published).toISOString()}'/>` +
      `<message xmlns='${NS.CLIENT}' from='${a(scope.jid)}'><event xmlns='${NS.PUBSUB_EVENT}'><items node='${a(node)}'>` +
      itemXml(item) +
      '</items></event></message></forwarded></result>';
    const attrs = { from: scope.jid, to: from, id: `mam-${item.archiveId}` };
    scope.delivery.deliver(
      from,
      () => `<message from='${a(attrs.from)}' to='${a(attrs.to)}' id='${a(attrs.id)}'>${result}</message>`,
      () => xml('message', attrs, new RawXml(result)),
    );
  }
  const fin = xml('fin', page.complete ? { xmlns: NS.MAM, complete: 'true' } : { xmlns: NS.MAM });
  fin.append(rsmElement(page.rsm));
  return fin;
}

/** The first and last entries of a node's archive (XEP-0313 6); an empty element for an empty archive. */
export async function nodeArchiveMetadata(scope: ServiceScope, from: string, metadata: Element): Promise<Element> {
  const node = metadata.attrs.node;
  const out = xml('metadata', node ? { xmlns: NS.MAM, node } : { xmlns: NS.MAM });
  const first = unwrap(await scope.engine.queryArchive(from, node, { rsm: { max: 1 } })).items[0];
  const last = unwrap(await scope.engine.queryArchive(from, node, { rsm: { max: 1, before: '' } })).items[0];
  if (first && last) {
    out.append(xml('start', { id: first.archiveId, timestamp: new Date(first.published).toISOString() }));
    out.append(xml('end', { id: last.archiveId, timestamp: new Date(last.published).toISOString() }));
  }
  return out;
}
