/** Something the person asked for cannot be done (unknown space, closed dialog, …): a 400 for the page. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
