/**
 * Wonda's `styleId` ("Optional style UUID to apply", nano-banana-2 and nano-banana-pro)
 * as a server-side style table, like the templates: a style is a prompt prefix Pictor applies
 * itself, so it works on every route. Wonda does not publish its styles, so the table ships a few
 * of Pictor's own with fixed ids; an operator adds rows here (for instance under the UUIDs their
 * Wonda clients already send) and redeploys. A `styleId` that is not in the table is refused,
 * naming the known ones: never accepted and dropped.
 */

export interface StyleDefinition {
  /** The UUID clients send as `styleId`. */
  readonly id: string;
  readonly name: string;
  /** Prepended to the client's prompt (after a template prefix, if any). */
  readonly promptPrefix: string;
}

export const styles: readonly StyleDefinition[] = [
  {
    id: '7ab6d28c-4d73-4dd0-8b73-796a449a6c3b',
    name: 'Watercolor',
    promptPrefix: 'In a loose watercolor painting style with soft washes, visible paper texture and gentle color bleeding:',
  },
  {
    id: '0ee4578f-f672-4210-b8eb-1d25b294f538',
    name: 'Studio product photo',
    promptPrefix: 'As a clean studio product photograph with softbox lighting, a seamless backdrop and sharp focus:',
  },
  {
    id: 'aeec9099-5f30-456b-adcd-e8b0fb5dba8e',
    name: 'Line art',
    promptPrefix: 'As crisp black ink line art on a white background, no shading or color:',
  },
  {
    id: '73f51756-259d-48a3-877d-c6853848832e',
    name: 'Isometric 3D',
    promptPrefix: 'As a colorful isometric 3D render with soft global illumination and simple rounded shapes:',
  },
];

const byId = new Map(styles.map((style) => [style.id.toLowerCase(), style]));

/** The style with this id (case-insensitive), or undefined. */
export function findStyle(id: string): StyleDefinition | undefined {
  return byId.get(id.trim().toLowerCase());
}

/** `Watercolor (7ab6d28c-...)`, ... for messages. */
export function describeStyles(): string {
  return styles.map((style) => `${style.name} (${style.id})`).join(', ') || 'none';
}
