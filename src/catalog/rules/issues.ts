/**
 * The one shape of a validation problem, from the catalog's checks to every wire format's error
 * body. Catalog functions return paths relative to the params object; the submission service
 * maps them onto the caller's own input (`['model', 'placeholder', 'aspectRatio']`).
 */
export interface ValidationIssue {
  /**
   * Where the problem is. From the catalog: relative to the params object (`['aspectRatio']`);
   * common inputs use `['references']`, `['n']`, `['seed']`, `['template']`, `['options', name]`.
   */
  readonly path: string[];
  /** Human-readable; for enums it names the allowed values. */
  readonly message: string;
  /** Stable machine code (zod's codes, `IssueCodes` or `OptionIssueCodes`), where the check has one. */
  readonly code?: string;
}

/** Codes of the catalog's own checks beyond zod's. */
export const IssueCodes = {
  unknownParameter: 'unknown_parameter',
  tooManyReferences: 'too_many_references',
  missingInputImage: 'missing_input_image',
  unknownTemplate: 'unknown_template',
  unknownStyle: 'unknown_style',
  unsupportedFeature: 'unsupported_feature',
  templateNotSupported: 'template_not_supported',
  imageReferenceOutOfRange: 'image_reference_out_of_range',
  unsupportedCharacters: 'unsupported_characters',
  invalidN: 'invalid_n',
  invalidSeed: 'invalid_seed',
} as const;

/** Codes of problems with the model-agnostic options (`options.*`). */
export const OptionIssueCodes = {
  invalidOption: 'invalid_option',
  conflictingOptions: 'conflicting_options',
  unsupportedBackground: 'unsupported_background',
  unsupportedOutputFormat: 'unsupported_output_format',
} as const;
