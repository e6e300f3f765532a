import SchemaBuilder, { BasePlugin, resolveInputTypeConfig, type PothosInputFieldConfig, type SchemaTypes } from '@pothos/core';

/**
 * Keeps argument validation for the arguments that declare some.
 *
 * `@pothos/plugin-zod` gives every input-object argument a validator, even when nothing in the
 * object's fields (to any depth) declares `validate`; such a validator checks nothing (loose
 * objects all the way down) but still runs an async zod parse that copies the whole input on
 * every call. `generateImage(input:)` is one: the models' own schemas validate its parameters
 * later (src/catalog), with typed errors. This plugin, placed right after the zod plugin in the
 * plugin list (so it sees the zod plugin's field configs: input field hooks run last plugin first), drops the validator of an argument whose input type declares no `validate`
 * anywhere (type options or field options, through lists and cycles); arguments that declare
 * one, directly or in a nested input field, keep theirs unchanged.
 */
export class SkipEmptyValidationPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  private readonly declares = new Map<string, boolean>();

  override onInputFieldConfig(fieldConfig: PothosInputFieldConfig<Types>): PothosInputFieldConfig<Types> {
    if (fieldConfig.kind !== 'Arg' || !fieldConfig.extensions?.validator || fieldConfig.pothosOptions.validate) return fieldConfig;
    const type = resolveInputTypeConfig(fieldConfig.type, this.buildCache);
    if (type.kind !== 'InputObject' || this.declaresValidation(type.name)) return fieldConfig;
    const { validator: _dropped, ...extensions } = fieldConfig.extensions;
    return { ...fieldConfig, extensions };
  }

  /** Whether the input type or any input type reachable from its fields declares `validate`. */
  private declaresValidation(typeName: string): boolean {
    let declares = this.declares.get(typeName);
    if (declares === undefined) {
      declares = this.reachesValidation(typeName, new Set());
      this.declares.set(typeName, declares);
    }
    return declares;
  }

  /** The walk behind `declaresValidation`; `visited` stops cycles (a type is checked once per walk). */
  private reachesValidation(typeName: string, visited: Set<string>): boolean {
    if (visited.has(typeName)) return false;
    visited.add(typeName);
    if (this.buildCache.getTypeConfig(typeName, 'InputObject').pothosOptions.validate) return true;
    return Object.values(this.buildCache.getInputTypeFieldConfigs(typeName as never /* looked up by name, as getTypeConfig is */)).some((field) => {
      if (field.pothosOptions.validate) return true;
      const fieldType = resolveInputTypeConfig(field.type, this.buildCache);
      return fieldType.kind === 'InputObject' && this.reachesValidation(fieldType.name, visited);
    });
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      skipEmptyValidation: SkipEmptyValidationPlugin<Types>;
    }
  }
}

const pluginName = 'skipEmptyValidation';
SchemaBuilder.registerPlugin(pluginName, SkipEmptyValidationPlugin);
export default pluginName;
