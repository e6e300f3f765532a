import { GraphQLError, Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import { maskError, type Plugin, type YogaServerOptions } from 'graphql-yoga';
import { LoneSurrogate, unstorableTextReason } from '../text.js';

/**
 * Strings PostgreSQL cannot store (a NUL byte) or that are not text at all (a lone UTF-16
 * surrogate: invalid in UTF-8 and in jsonb) are refused for every argument of every operation,
 * before anything resolves, with BAD_USER_INPUT naming where they were. Checked on the raw
 * variables and the literals of the document, for HTTP, SSE and WebSocket alike.
 */
export function useStringGuard(): Plugin {
  // The refusal is the operation's result (not a throw): a throw from a subscribe hook would end
  // a WebSocket with an internal-error close instead of answering the one operation.
  const check = (args: { document: DocumentNode; variableValues?: Record<string, unknown> | null }, stop: (result: { errors: GraphQLError[] }) => void) => {
    const refusal = stringRefusal(args);
    if (refusal) stop(refusal);
  };
  return {
    onExecute: ({ args, setResultAndStopExecution }) => check(args, setResultAndStopExecution),
    onSubscribe: ({ args, setResultAndStopExecution }) => check(args, setResultAndStopExecution),
  };
}

/** The guard's answer to an operation with a string it refuses; `undefined` when every string is fine. */
export function stringRefusal(args: { document: DocumentNode; variableValues?: Record<string, unknown> | null }): { errors: GraphQLError[] } | undefined {
  const facts = factsOf(args.document);
  const problem = firstBadVariable(facts.receivers, args.variableValues ?? {}) ?? facts.badLiteral;
  if (!problem) return undefined;
  return { errors: [new GraphQLError(`${problem.path}: ${problem.reason}`, { extensions: { code: 'BAD_USER_INPUT', field: problem.path, http: { status: 400 } } })] };
}

interface Problem {
  path: string;
  reason: string;
}

const UNPRINTABLE = new RegExp(`[\\u0000-\\u001f]|${LoneSurrogate.source}`, 'g');

const reasonOf = unstorableTextReason;

function firstBadString(value: unknown, path: string[]): Problem | undefined {
  if (typeof value === 'string') {
    const reason = reasonOf(value);
    return reason ? { path: printPath(path), reason } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = firstBadString(item, [...path, String(index)]);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = reasonOf(key);
      if (keyProblem) return { path: printPath(path), reason: `has a key that ${keyProblem}` };
      const found = firstBadString(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The first bad string among the variables, named by the argument that receives it (`note`,
 * `input.model.placeholder.prompt`), as a client reads its schema; `$name` for a variable no
 * argument takes directly.
 */
function firstBadVariable(receivers: Map<string, string>, variables: Record<string, unknown>): Problem | undefined {
  for (const [name, value] of Object.entries(variables)) {
    const nameProblem = reasonOf(name);
    if (nameProblem) return { path: '$', reason: `has a variable name that ${nameProblem}` };
    const found = firstBadString(value, [receivers.get(name) ?? `$${name}`]);
    if (found) return found;
  }
  return undefined;
}

/**
 * What the guard reads of a document, found once per document object: yoga's parse cache hands
 * the same (never modified) document to every request with the same query text, so a repeated
 * operation is walked once, not on every request.
 */
const documentFacts = new WeakMap<DocumentNode, { receivers: Map<string, string>; badLiteral: Problem | undefined }>();

function factsOf(document: DocumentNode): { receivers: Map<string, string>; badLiteral: Problem | undefined } {
  let facts = documentFacts.get(document);
  if (!facts) documentFacts.set(document, (facts = { receivers: argumentsOfVariables(document), badLiteral: firstBadLiteral(document) }));
  return facts;
}

/** Variable name -> the argument path where the document first passes it. */
function argumentsOfVariables(document: DocumentNode): Map<string, string> {
  const receivers = new Map<string, string>();
  const collect = (value: ValueNode, path: string[]): void => {
    if (value.kind === Kind.VARIABLE) {
      if (!receivers.has(value.name.value)) receivers.set(value.name.value, path.join('.'));
    } else if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) collect(field.value, [...path, field.name.value]);
    } else if (value.kind === Kind.LIST) {
      value.values.forEach((item, index) => collect(item, [...path, String(index)]));
    }
  };
  visit(document, {
    Argument(node) {
      collect(node.value, [node.name.value]);
      return false;
    },
  });
  return receivers;
}

function firstBadLiteral(document: DocumentNode): Problem | undefined {
  let found: Problem | undefined;
  visit(document, {
    Argument(node) {
      if (found) return false;
      visit(node.value, {
        StringValue(literal) {
          const reason = found ? undefined : reasonOf(literal.value);
          if (reason) found = { path: node.name.value, reason };
        },
      });
      return false;
    },
  });
  return found;
}

/** Dotted input paths (`input.model.placeholder.prompt`); long keys are cut. */
function printPath(path: string[]): string {
  return path.map((part) => (part.length > 64 ? `${part.slice(0, 64)}...` : part)).join('.');
}

/** Longest error message sent to a client: messages quoting a huge input value are cut. */
const MAX_MESSAGE = 300;

/**
 * Yoga's error masking, plus: no error message repeats a huge value or a character a client
 * cannot print (GraphQL's own coercion errors quote the offending value).
 */
export const maskErrorSafely: NonNullable<NonNullable<Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean | undefined>>['maskError']> = (error, message, isDev) => {
  const masked = maskError(error, message, isDev);
  if (!(masked instanceof GraphQLError)) return masked;
  const printable = masked.message.replace(UNPRINTABLE, '?');
  if (printable === masked.message && printable.length <= MAX_MESSAGE) return masked;
  return new GraphQLError(printable.length > MAX_MESSAGE ? `${printable.slice(0, MAX_MESSAGE)}... (cut)` : printable, {
    nodes: masked.nodes,
    path: masked.path,
    extensions: masked.extensions,
  });
};
