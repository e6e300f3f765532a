import { describe, expect, it } from 'vitest';
import { assertPreparedHooksCovered, PreparedHooks } from '../../src/http/graphql-fast-path.js';

/**
 * Prepared operations skip yoga's request-parse, params and result-process hooks for documents
 * the whole pipeline ran before. A plugin added with one of those hooks would be skipped for
 * them: the server must refuse to start until src/http/graphql-fast-path.ts knows of it.
 */
const hooks = (count: number) => Array.from({ length: count }, () => () => undefined);
const pipeline = (extra: { onRequestParse?: number; onParams?: number; onResultProcess?: number; onExecutionResult?: number } = {}, introspection = true) => ({
  onRequestParseHooks: hooks(PreparedHooks.onRequestParse.length + (introspection ? 0 : 1) + (extra.onRequestParse ?? 0)),
  onParamsHooks: hooks(PreparedHooks.onParams.length + (extra.onParams ?? 0)),
  onResultProcessHooks: hooks(PreparedHooks.onResultProcess.length + (extra.onResultProcess ?? 0)),
  onExecutionResultHooks: hooks(extra.onExecutionResult ?? 0),
});

describe('the hooks prepared operations skip', () => {
  it('are exactly the known ones, with introspection on or off', () => {
    expect(() => assertPreparedHooksCovered(pipeline(), true)).not.toThrow();
    expect(() => assertPreparedHooksCovered(pipeline({}, false), false)).not.toThrow();
    // The introspection switch's request hook is only expected when introspection is off.
    expect(() => assertPreparedHooksCovered(pipeline({}, false), true)).toThrow(/onRequestParse.*update src\/http\/graphql-fast-path\.ts/);
  });

  it('refuse a plugin added or removed in any of them', () => {
    for (const extra of [{ onRequestParse: 1 }, { onParams: 1 }, { onParams: -1 }, { onResultProcess: 1 }, { onExecutionResult: 1 }]) {
      expect(() => assertPreparedHooksCovered(pipeline(extra), true), JSON.stringify(extra)).toThrow(/update src\/http\/graphql-fast-path\.ts/);
    }
  });
});
