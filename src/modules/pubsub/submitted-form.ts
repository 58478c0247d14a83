// Reading the data forms a pubsub request carries (XEP-0004 section 3.2 submissions; XEP-0068 FORM_TYPE):
// node configuration (XEP-0060 8.1.3, 8.2.4), subscription options (6.3.5), publish-options (7.1.5) and
// subscription authorizations (8.6). Values are handed to the engine as strings and string lists; the
// engine owns their meaning.

import type { Element } from '../../xml/element.js';
import { findForm, formType, parseDataForm, type DataForm } from '../../protocol/data-form.js';
import { requestError } from './pubsub-errors.js';

export const FORM_TYPES = {
  nodeConfig: 'http://jabber.org/protocol/pubsub#node_config',
  subscribeOptions: 'http://jabber.org/protocol/pubsub#subscribe_options',
  publishOptions: 'http://jabber.org/protocol/pubsub#publish-options',
  metaData: 'http://jabber.org/protocol/pubsub#meta-data',
  subscribeAuthorization: 'http://jabber.org/protocol/pubsub#subscribe_authorization',
} as const;

export interface SubmittedForm {
  cancelled: boolean;
  /** Field var → its values; single-valued fields are lists of one. FORM_TYPE is left out. */
  fields: Record<string, string[]>;
}

function readForm(x: Element): DataForm {
  try {
    return parseDataForm(x);
  } catch (err) {
    throw requestError({ condition: 'bad-request', text: (err as Error).message });
  }
}

/**
 * The form inside `container` (<configure/>, <options/>, <publish-options/>), or undefined when it
 * holds none. A form of another FORM_TYPE, or one that is neither a submission nor a cancellation,
 * is a bad request (XEP-0004 3.2, XEP-0068 3.3).
 */
export function submittedForm(container: Element | undefined, expectedType: string, allowCancel = false): SubmittedForm | undefined {
  if (!container) return undefined;
  const x = findForm(container);
  if (!x) return undefined;
  const form = readForm(x);
  if (form.type === 'cancel' && allowCancel) return { cancelled: true, fields: {} };
  if (form.type !== 'submit') throw requestError({ condition: 'bad-request', text: `expected a form of type submit, got ${form.type}` });
  const type = formType(form);
  if (type !== undefined && type !== expectedType) {
    throw requestError({ condition: 'bad-request', text: `expected FORM_TYPE ${expectedType}` });
  }
  const fields: Record<string, string[]> = {};
  for (const f of form.fields) if (f.var !== 'FORM_TYPE') fields[f.var] = f.values;
  return { cancelled: false, fields };
}
