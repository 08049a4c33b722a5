/** `npm run openapi`: writes the API document the app serves at /api/openapi.json to docs/openapi.json (the drift test compares the two). */
import { writeFileSync } from 'node:fs';
import { documentText, SNAPSHOT_PATH } from '../src/http/api/document.ts';

const text = await documentText();
writeFileSync(SNAPSHOT_PATH, text);
const paths = Object.keys((JSON.parse(text) as { paths: object }).paths).length;
console.log(`openapi: wrote ${SNAPSHOT_PATH} (${paths} paths, ${text.length} bytes)`);
