import fs from 'node:fs';
import { printSchema } from 'graphql';
import { printableSchema } from './index.js';

/** Writes schema.graphql from code; with --check, fails when the committed file is stale. */
const printed = `${printSchema(printableSchema())}\n`;
const target = 'schema.graphql';
if (process.argv.includes('--check')) {
  const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (committed !== printed) {
    console.error('schema.graphql is out of date: run `npm run schema:print` and commit it.');
    process.exit(1);
  }
  console.log('schema.graphql is current');
} else {
  fs.writeFileSync(target, printed);
  console.log(`wrote ${target}`);
}
