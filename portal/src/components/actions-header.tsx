/** The header of a table's last column, which holds each row's buttons (Delete, Remove): named for screen readers only. */
export function ActionsHeader() {
  return (
    <th scope="col">
      <span class="visually-hidden">Actions</span>
    </th>
  );
}
