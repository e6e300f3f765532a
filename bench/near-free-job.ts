import http from 'node:http';

/** `generateImage` of the placeholder at its cheapest: one step, no wait, the smallest picture. */
const BODY = JSON.stringify({
  query: 'mutation($input: GenerateImageInput!) { generateImage(input: $input) { __typename ... on GenerateImageSuccess { job { id } } } }',
  variables: { input: { model: { placeholder: { prompt: 'bench', steps: 1, stepMs: 0, resolution: 'RES_512' } } } },
});

/** Submits one near-free job to the Pictor API on `port` through `agent`; resolves to its id. */
export function submitNearFreeJob(agent: http.Agent, port: number, key: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), authorization: `Bearer ${key}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const id = /"job":\{"id":"([^"]+)"/.exec(body)?.[1];
          if (id) resolve(id);
          else reject(new Error(`generateImage failed: ${body.slice(0, 300)}`));
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(BODY);
  });
}
