/**
 * The address of the chronology of the child an item is about: the mailbox and the item's own
 * opaque id (a message id or a referral id), never the child's name or date of birth.
 */
export function chronologyPath(mailboxId: string, itemId: string): string {
  return `/mailboxes/${encodeURIComponent(mailboxId)}/chronology/${encodeURIComponent(itemId)}`;
}
