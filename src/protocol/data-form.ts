// XEP-0004 data forms: reading submitted forms and building forms and results. Values stay strings
// (multi-valued fields as arrays); typed interpretation belongs to the feature that owns the form.

import { Element, xml } from '../xml/element.js';
import { NS } from './namespaces.js';

export type FieldType =
  | 'boolean'
  | 'fixed'
  | 'hidden'
  | 'jid-multi'
  | 'jid-single'
  | 'list-multi'
  | 'list-single'
  | 'text-multi'
  | 'text-private'
  | 'text-single';

export interface FormField {
  var: string;
  type?: FieldType;
  label?: string;
  values: string[];
  options?: { label?: string; value: string }[];
}

export interface DataForm {
  type: 'form' | 'submit' | 'cancel' | 'result';
  title?: string;
  instructions?: string;
  fields: FormField[];
}

/** The FORM_TYPE hidden field (XEP-0068), when present. */
export function formType(form: DataForm): string | undefined {
  return form.fields.find((f) => f.var === 'FORM_TYPE')?.values[0];
}

export function fieldValue(form: DataForm, name: string): string | undefined {
  return form.fields.find((f) => f.var === name)?.values[0];
}

export function fieldValues(form: DataForm, name: string): string[] | undefined {
  return form.fields.find((f) => f.var === name)?.values;
}

/** XEP-0004 section 3.3: boolean fields accept 0/1/false/true. */
export function parseBoolean(value: string | undefined): boolean | undefined {
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  return undefined;
}

export function findForm(parent: Element): Element | undefined {
  return parent.getChild('x', NS.DATA_FORMS);
}

export function parseDataForm(x: Element): DataForm {
  const type = x.attrs.type;
  if (type !== 'form' && type !== 'submit' && type !== 'cancel' && type !== 'result') {
    throw new Error(`invalid data form type ${type ?? '(none)'}`);
  }
  const fields: FormField[] = [];
  for (const f of x.getChildren('field')) {
    const name = f.attrs.var;
    if (name === undefined) continue;
    fields.push({
      var: name,
      type: f.attrs.type as FieldType | undefined,
      label: f.attrs.label,
      values: f.getChildren('value').map((v) => v.text()),
    });
  }
  return { type, title: x.getChildText('title'), instructions: x.getChildText('instructions'), fields };
}

export function dataFormElement(form: DataForm): Element {
  const x = xml('x', { xmlns: NS.DATA_FORMS, type: form.type });
  if (form.title) x.append(xml('title', {}, form.title));
  if (form.instructions) x.append(xml('instructions', {}, form.instructions));
  for (const f of form.fields) {
    const attrs: Record<string, string> = { var: f.var };
    if (f.type) attrs.type = f.type;
    if (f.label) attrs.label = f.label;
    const field = xml('field', attrs);
    for (const o of f.options ?? []) field.append(xml('option', o.label ? { label: o.label } : {}, xml('value', {}, o.value)));
    for (const v of f.values) field.append(xml('value', {}, v));
    x.append(field);
  }
  return x;
}
