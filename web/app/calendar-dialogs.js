// The calendar forms: a new calendar (title, colour), and sharing a calendar you own with another user,
// read or write (PUT /api/v2/calendars/:id/shares/:user), or stopping a share.

function formRunner(dialog) {
  const error = dialog.querySelector('.form-error');
  return async (action, close = true) => {
    error.textContent = '';
    try {
      await action();
      if (close) dialog.close();
    } catch (err) {
      error.textContent = err.field ? `${err.field}: ${err.message}` : err.message;
    }
  };
}

export class NewCalendarDialog {
  constructor(dialog) {
    this.dialog = dialog;
    this.form = dialog.querySelector('form');
    const run = formRunner(dialog);
    dialog.querySelector('[data-action=cancel]').addEventListener('click', () => dialog.close());
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      const title = this.form.elements.namedItem('title').value.trim();
      const color = this.form.elements.namedItem('color').value;
      run(() => this.create({ title, color }));
    });
  }

  open(create) {
    this.create = create;
    this.form.reset();
    this.dialog.querySelector('.form-error').textContent = '';
    this.dialog.showModal();
  }
}

export class ShareDialog {
  constructor(dialog) {
    this.dialog = dialog;
    this.form = dialog.querySelector('form');
    this.run = formRunner(dialog);
    dialog.querySelector('[data-action=close]').addEventListener('click', () => dialog.close());
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      const user = this.form.elements.namedItem('user').value.trim();
      const permission = this.form.elements.namedItem('permission').value;
      this.run(async () => {
        await this.actions.share(user, permission);
        this.form.elements.namedItem('user').value = '';
      }, false);
    });
  }

  /** actions: share(user, permission), unshare(user), current() -> the calendar as it stands now. */
  open(actions) {
    this.actions = actions;
    this.form.reset();
    this.dialog.querySelector('.form-error').textContent = '';
    this.refresh();
    this.dialog.showModal();
    this.form.elements.namedItem('user').focus();
  }

  /** Redraws the list of shares (called again when the calendar changes, from here or elsewhere). */
  refresh() {
    if (!this.dialog.open && !this.actions) return;
    const calendar = this.actions.current();
    if (!calendar) {
      this.dialog.close();
      return;
    }
    this.dialog.querySelector('h2').textContent = `Share “${calendar.title}”`;
    const list = this.dialog.querySelector('.share-list');
    list.replaceChildren(
      ...(calendar.shares.length === 0
        ? [Object.assign(document.createElement('li'), { className: 'muted', textContent: 'Not shared with anyone yet.' })]
        : calendar.shares.map((s) => {
            const li = document.createElement('li');
            const name = Object.assign(document.createElement('span'), { textContent: `${s.user} · ${s.permission === 'write' ? 'can edit' : 'can view'}` });
            const remove = Object.assign(document.createElement('button'), { type: 'button', className: 'link', textContent: 'Remove' });
            remove.addEventListener('click', () => this.run(() => this.actions.unshare(s.user), false));
            li.append(name, remove);
            return li;
          })),
    );
  }
}
