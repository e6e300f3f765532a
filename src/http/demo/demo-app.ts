/// <reference lib="dom" />
/**
 * The script of `/demo` (bundled for the browser by serve-demo.ts): a form generated from each
 * model's parameter JSON schema, live progress over the typed client's `watchJob`, the job in the
 * URL (`#job=<id>`) and its last cursor in sessionStorage so a reload resumes where it was.
 */
import { createPictorClient, isTerminalUpdate, type Job, type JobUpdate, type Model, type PictorClient } from '../../client/index.js';

interface JsonSchemaProperty {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
}

const KEY_STORAGE = 'pictor.apiKey';
const cursorStorage = (jobId: string) => `pictor.cursor.${jobId}`;

function element<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

const ui = {
  apiKey: element<HTMLInputElement>('api-key'),
  model: element<HTMLSelectElement>('model'),
  modelDescription: element<HTMLParagraphElement>('model-description'),
  promptBox: element<HTMLDivElement>('prompt-box'),
  prompt: element<HTMLTextAreaElement>('prompt'),
  referenceBox: element<HTMLDivElement>('reference-box'),
  reference: element<HTMLInputElement>('reference'),
  params: element<HTMLDivElement>('params'),
  generate: element<HTMLButtonElement>('generate'),
  cancel: element<HTMLButtonElement>('cancel'),
  error: element<HTMLParagraphElement>('error'),
  status: element<HTMLElement>('status'),
  jobId: element<HTMLSpanElement>('job-id'),
  progress: element<HTMLProgressElement>('progress'),
  progressText: element<HTMLSpanElement>('progress-text'),
  stage: element<HTMLSpanElement>('stage'),
  preview: element<HTMLImageElement>('preview'),
  result: element<HTMLDivElement>('result'),
};

let client: PictorClient | undefined;
let models: Model[] = [];
let currentJobId: string | undefined;
let watching: AbortController | undefined;

function showError(message: string): void {
  ui.error.textContent = message;
}

function connect(): PictorClient | undefined {
  void client?.dispose();
  const apiKey = ui.apiKey.value.trim();
  client = apiKey ? createPictorClient({ url: location.origin, apiKey }) : undefined;
  return client;
}

async function loadModels(): Promise<void> {
  if (!connect()) return showError('Enter an API key.');
  try {
    models = (await client!.models()).filter((model) => model.available);
  } catch (error) {
    return showError(`Could not list models: ${(error as Error).message}`);
  }
  showError('');
  const selected = ui.model.value || 'placeholder';
  ui.model.replaceChildren(...models.map((model) => new Option(`${model.name} (${model.id})`, model.id)));
  ui.model.value = models.some((model) => model.id === selected) ? selected : (models[0]?.id ?? '');
  renderParameters();
}

/** One input per parameter of the model's JSON schema (the prompt has its own box). */
function renderParameters(): void {
  const model = models.find((candidate) => candidate.id === ui.model.value);
  ui.params.replaceChildren();
  if (!model) return;
  ui.modelDescription.textContent = model.description;
  const schema = model.parametersJsonSchema as { properties?: Record<string, JsonSchemaProperty>; required?: string[] };
  const properties = schema.properties ?? {};
  ui.promptBox.hidden = !('prompt' in properties);
  ui.referenceBox.hidden = model.capabilities.maxReferenceImages === 0;
  for (const [name, property] of Object.entries(properties)) {
    if (name === 'prompt') continue;
    const id = `param-${name}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = name;
    if (property.description) label.title = property.description;
    let input: HTMLInputElement | HTMLSelectElement;
    if (property.enum) {
      input = document.createElement('select');
      if (property.default === undefined) input.append(new Option('(default)', ''));
      for (const value of property.enum) input.append(new Option(String(value), String(value)));
      if (property.default !== undefined) input.value = String(property.default);
    } else {
      input = document.createElement('input');
      if (property.type === 'boolean') {
        input.type = 'checkbox';
        input.checked = property.default === true;
      } else if (property.type === 'integer' || property.type === 'number') {
        input.type = 'number';
        if (property.minimum !== undefined) input.min = String(property.minimum);
        if (property.maximum !== undefined) input.max = String(property.maximum);
        input.step = property.type === 'integer' ? '1' : 'any';
        input.value = property.default === undefined ? '' : String(property.default);
      } else {
        input.value = property.default === undefined ? '' : String(property.default);
      }
    }
    input.id = id;
    input.dataset.param = name;
    input.dataset.type = property.type ?? 'string';
    ui.params.append(label, input);
  }
}

function readParameters(): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const input of ui.params.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-param]')) {
    const name = input.dataset.param!;
    if (input instanceof HTMLInputElement && input.type === 'checkbox') params[name] = input.checked;
    else if (input.value === '') continue;
    else if (input.dataset.type === 'integer' || input.dataset.type === 'number') params[name] = Number(input.value);
    else params[name] = input.value;
  }
  return params;
}

async function generate(): Promise<void> {
  if (!client) return showError('Enter an API key.');
  showError('');
  ui.generate.disabled = true;
  try {
    const references = [];
    const file = ui.reference.files?.[0];
    if (file && !ui.referenceBox.hidden) references.push({ mediaId: (await client.uploadMedia(file, file.name)).id });
    const prompt = ui.prompt.value.trim();
    const result = await client.generateWithParams({
      model: ui.model.value,
      params: readParameters(),
      ...(ui.promptBox.hidden ? {} : { prompt }),
      ...(references.length > 0 ? { references } : {}),
    });
    if (result.__typename !== 'GenerateImageSuccess') {
      const issues = result.__typename === 'ValidationError' ? result.issues.map((issue) => `\n${issue.path.join('.')}: ${issue.message}`).join('') : '';
      return showError(`${result.message}${issues}`);
    }
    history.replaceState(null, '', `#job=${encodeURIComponent(result.job.id)}`);
    void watch(result.job, undefined);
  } catch (error) {
    showError((error as Error).message);
  } finally {
    ui.generate.disabled = false;
  }
}

function renderJob(job: Job, progress = job.progress, stage = job.stage): void {
  currentJobId = job.id;
  ui.status.textContent = job.status;
  ui.jobId.textContent = job.id;
  const percent = Math.round(progress * 100);
  ui.progress.value = percent;
  ui.progressText.textContent = `${percent}%`;
  ui.stage.textContent = stage ?? '';
  ui.cancel.hidden = job.status !== 'QUEUED' && job.status !== 'RUNNING';
}

function renderFinished(job: Job): void {
  renderJob(job, job.status === 'SUCCEEDED' ? 1 : job.progress);
  if (job.status === 'FAILED') showError(job.error ? `${job.error.code}: ${job.error.message}` : 'The job failed');
  ui.result.replaceChildren(
    ...job.images.map((image, index) => {
      const figure = document.createElement('figure');
      const picture = document.createElement('img');
      picture.src = image.url;
      picture.alt = `Result ${index + 1}`;
      picture.width = image.width;
      picture.height = image.height;
      const caption = document.createElement('figcaption');
      const link = document.createElement('a');
      link.href = image.url;
      link.download = `pictor-${job.id}-${index + 1}.${image.format.toLowerCase()}`;
      link.textContent = `Download ${image.width}×${image.height} ${image.format.toLowerCase()}`;
      caption.append(link);
      figure.append(picture, caption);
      return figure;
    }),
  );
}

function applyUpdate(update: JobUpdate): void {
  if (isTerminalUpdate(update)) return renderFinished(update.job);
  renderJob(update.job, update.progress, update.stage);
  if (update.preview) {
    ui.preview.src = update.preview.url;
    ui.preview.hidden = false;
  }
}

/** Follows a job to its end; `after` resumes a stream the page was following before a reload. */
async function watch(job: Job, after: string | undefined): Promise<void> {
  watching?.abort();
  const controller = (watching = new AbortController());
  ui.result.replaceChildren();
  ui.preview.hidden = true;
  ui.preview.removeAttribute('src');
  renderJob(job);
  try {
    const updates = client!.watchJob(job.id, {
      after,
      signal: controller.signal,
      onReconnect: () => {
        ui.stage.textContent = 'reconnecting…';
      },
    });
    for await (const update of updates) {
      sessionStorage.setItem(cursorStorage(job.id), update.cursor);
      applyUpdate(update);
    }
  } catch (error) {
    if (!controller.signal.aborted) showError(`Lost the job's updates: ${(error as Error).message}`);
  }
}

/** `#job=<id>`: show that job, resuming its stream from the last cursor this tab saw. */
async function resumeFromUrl(): Promise<void> {
  const jobId = new URLSearchParams(location.hash.slice(1)).get('job');
  if (!jobId || !client || jobId === currentJobId) return;
  try {
    const job = await client.job(jobId);
    if (!job) return showError(`Job ${jobId} was not found for this API key.`);
    if (job.status === 'SUCCEEDED' || job.status === 'FAILED' || job.status === 'CANCELED') return renderFinished(job);
    await watch(job, sessionStorage.getItem(cursorStorage(jobId)) ?? undefined);
  } catch (error) {
    showError((error as Error).message);
  }
}

async function cancel(): Promise<void> {
  if (!client || !currentJobId) return;
  try {
    await client.cancelJob(currentJobId);
  } catch (error) {
    showError((error as Error).message);
  }
}

ui.apiKey.value = localStorage.getItem(KEY_STORAGE) ?? document.body.dataset.devKey ?? '';
ui.apiKey.addEventListener('change', () => {
  localStorage.setItem(KEY_STORAGE, ui.apiKey.value.trim());
  void loadModels().then(resumeFromUrl);
});
ui.model.addEventListener('change', renderParameters);
ui.generate.addEventListener('click', () => void generate());
ui.cancel.addEventListener('click', () => void cancel());
window.addEventListener('hashchange', () => void resumeFromUrl());
void loadModels().then(resumeFromUrl);
