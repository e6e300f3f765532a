import { describe, expect, it } from 'vitest';
import { assertPreparedHooksCovered, PreparedExecuteHooks, PreparedHooks } from '../../src/http/graphql-fast-path.js';

/**
 * Prepared operations skip yoga's request-parse, params and result-process hooks for documents
 * the whole pipeline ran before, and do the work of the plugins that act on an execution
 * themselves. A plugin added with one of those hooks would be skipped for them: the server must
 * refuse to start until src/http/graphql-fast-path.ts knows of it.
 */
const hooks = (count: number) => Array.from({ length: count }, () => () => undefined);
type Extra = {
  onRequestParse?: number;
  onParams?: number;
  onResultProcess?: number;
  onExecutionResult?: number;
  onContextBuilding?: number;
  onExecute?: number;
  onEnveloped?: number;
  instrumentation?: number;
};
/** Plugins (and `false`, an optional plugin that is off) with the known execution hooks, plus `extra` ones. */
const plugins = (extra: Extra) => [
  false,
  ...hooks(PreparedExecuteHooks.onContextBuilding.length + (extra.onContextBuilding ?? 0)).map((hook) => ({ onContextBuilding: hook })),
  ...hooks(PreparedExecuteHooks.onExecute.length + (extra.onExecute ?? 0)).map((hook) => ({ onExecute: hook })),
  ...hooks(extra.onEnveloped ?? 0).map((hook) => ({ onEnveloped: hook })),
  ...hooks(extra.instrumentation ?? 0).map(() => ({ instrumentation: { execute: () => undefined } })),
  { onPluginInit: () => undefined },
];
const pipeline = (extra: Extra = {}, introspection = true) => ({
  plugins: plugins(extra),
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
    const changes: Extra[] = [{ onRequestParse: 1 }, { onParams: 1 }, { onParams: -1 }, { onResultProcess: 1 }, { onExecutionResult: 1 }];
    changes.push({ onContextBuilding: 1 }, { onContextBuilding: -1 }, { onExecute: 1 }, { onExecute: -1 }, { onEnveloped: 1 }, { instrumentation: 1 });
    for (const extra of changes) {
      expect(() => assertPreparedHooksCovered(pipeline(extra), true), JSON.stringify(extra)).toThrow(/update src\/http\/graphql-fast-path\.ts/);
    }
  });
});
