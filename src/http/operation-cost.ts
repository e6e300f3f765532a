import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** The operation a request executes: the only one, or the one named by `operationName`. */
export function selectedOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  return operations.length === 1 ? operations[0] : operations.find((candidate) => candidate.name?.value === operationName);
}

/** Counts already made, per document (yoga's parse cache hands the same object to every request of one text) and operation name. */
const counted = new WeakMap<DocumentNode, Map<string | null, number>>();
/** Operation names remembered per document: a client cycling through made-up names is counted afresh each time. */
const MAX_NAMES_PER_DOCUMENT = 16;

/**
 * How many operations a request is worth for rate limiting: its root fields, aliases and
 * fragments included (30 aliased `generateImage` fields are 30 generations). Meta fields
 * (`__typename`, introspection) are free, but every request counts at least one.
 */
export function rootFieldCount(document: DocumentNode, operationName: string | null | undefined): number {
  const name = operationName ?? null;
  let byName = counted.get(document);
  const known = byName?.get(name);
  if (known !== undefined) return known;
  const count = countRootFields(document, operationName);
  if (!byName) counted.set(document, (byName = new Map()));
  if (byName.size < MAX_NAMES_PER_DOCUMENT) byName.set(name, count);
  return count;
}

function countRootFields(document: DocumentNode, operationName: string | null | undefined): number {
  const operation = selectedOperation(document, operationName);
  if (!operation) return 1;
  const fragments = new Map(
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
  // Fields with the same response key are merged and run once, so count distinct keys.
  const responseKeys = new Set<string>();
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) responseKeys.add(selection.alias?.value ?? selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return Math.max(1, responseKeys.size);
}
