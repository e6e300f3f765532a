/**
 * The HTML of `/demo`. Elements the browser tests drive carry `data-testid`; the script is the
 * bundle at `/demo/app.js` (src/http/demo/demo-app.ts, which uses the typed client).
 */
export function demoPage(options: { devApiKey: string | undefined }): string {
  const devKey = options.devApiKey ? ` data-dev-key="${escapeAttribute(options.devApiKey)}"` : '';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Pictor demo</title>
  <style>
    :root { font-family: system-ui, sans-serif; color: #1d232a; background: #f5f6f8; }
    body { margin: 0; }
    header { background: #1d232a; color: #fff; padding: 12px 24px; display: flex; gap: 16px; align-items: baseline; }
    header a { color: #9cc3ff; }
    main { display: grid; grid-template-columns: minmax(300px, 420px) 1fr; gap: 24px; padding: 24px; }
    section { background: #fff; border-radius: 8px; padding: 16px 20px; box-shadow: 0 1px 3px #0002; }
    label { display: block; font-size: 13px; font-weight: 600; margin: 12px 0 4px; }
    label small { font-weight: 400; color: #666; }
    input, select, textarea { width: 100%; box-sizing: border-box; font: inherit; padding: 6px 8px; border: 1px solid #c5cad1; border-radius: 4px; }
    input[type=checkbox] { width: auto; }
    textarea { min-height: 72px; resize: vertical; }
    button { font: inherit; padding: 8px 16px; border-radius: 4px; border: 0; background: #2563eb; color: #fff; cursor: pointer; margin-top: 16px; }
    button[disabled] { background: #9aa8c0; cursor: default; }
    button.secondary { background: #e5e7eb; color: #1d232a; }
    progress { width: 100%; height: 14px; }
    .row { display: flex; gap: 8px; align-items: center; }
    .muted { color: #666; font-size: 13px; }
    .error { color: #b91c1c; white-space: pre-wrap; }
    .pictures { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 12px; }
    .pictures figure { margin: 0; }
    .pictures img { max-width: 100%; max-height: 420px; border-radius: 4px; display: block; background: #eee; }
    #preview-box img { max-width: 256px; border-radius: 4px; opacity: .85; }
  </style>
</head>
<body${devKey}>
  <header><strong>Pictor</strong><span>live generation demo</span><a href="/graphql">GraphiQL</a></header>
  <main>
    <section>
      <label for="api-key">API key <small>(kept in this browser)</small></label>
      <input id="api-key" data-testid="api-key" type="password" autocomplete="off" placeholder="pk_..." />
      <label for="model">Model</label>
      <select id="model" data-testid="model"></select>
      <p id="model-description" class="muted"></p>
      <div id="prompt-box">
        <label for="prompt">Prompt</label>
        <textarea id="prompt" data-testid="prompt" placeholder="A lighthouse on a cliff at dusk"></textarea>
      </div>
      <div id="reference-box" hidden>
        <label for="reference">Reference image <small>(uploaded to /v1/media)</small></label>
        <input id="reference" data-testid="reference" type="file" accept="image/png,image/jpeg,image/webp" />
      </div>
      <div id="params"></div>
      <div class="row">
        <button id="generate" data-testid="generate" type="button">Generate</button>
        <button id="cancel" data-testid="cancel" type="button" class="secondary" hidden>Cancel</button>
      </div>
      <p id="error" data-testid="error" class="error" role="alert"></p>
    </section>
    <section>
      <div class="row"><strong id="status" data-testid="status">Idle</strong><span id="job-id" class="muted"></span></div>
      <progress id="progress" data-testid="progress" max="100" value="0"></progress>
      <div class="row"><span id="progress-text" data-testid="progress-text">0%</span><span id="stage" data-testid="stage" class="muted"></span></div>
      <div id="preview-box"><img id="preview" data-testid="preview" alt="Preview" hidden /></div>
      <div id="result" data-testid="result" class="pictures"></div>
    </section>
  </main>
  <script type="module" src="/demo/app.js"></script>
</body>
</html>
`;
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
