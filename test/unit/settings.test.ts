import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SETTING_DEFAULTS } from '../../src/core/settings/settingDefaults';
import { parseSettings } from '../../src/core/settings/settings';
import { apiKeyHeaderFor } from '../../src/core/client/createClient';
import { repositoryRoot } from '../support/repository';

const manifest = JSON.parse(readFileSync(path.join(repositoryRoot(), 'package.json'), 'utf8')) as {
  contributes: {
    configuration: { properties: Record<string, { default: unknown }> };
    commands: Array<{ command: string }>;
  };
};
const properties = manifest.contributes.configuration.properties;

describe('settings ↔ package.json', () => {
  it('every setting in package.json has the same default as the code', () => {
    for (const [key, property] of Object.entries(properties)) {
      const name = key.replace(/^promptmeter\./, '');
      assert.ok(name in SETTING_DEFAULTS, `${key} is contributed but unknown to SETTING_DEFAULTS`);
      assert.deepEqual(
        property.default,
        SETTING_DEFAULTS[name as keyof typeof SETTING_DEFAULTS],
        `${key} default differs`,
      );
    }
  });
  it('every setting the code reads is contributed', () => {
    for (const name of Object.keys(SETTING_DEFAULTS))
      assert.ok(`promptmeter.${name}` in properties, `promptmeter.${name} missing from package.json`);
  });
  it('no setting can hold an API key', () => {
    for (const key of Object.keys(properties)) assert.doesNotMatch(key, /key|secret|token$/i);
  });
});

describe('parseSettings', () => {
  it('gives the defaults for an empty configuration', () => {
    const { settings, problems } = parseSettings({});
    assert.equal(settings.defaultModel, 'gpt-4o-mini');
    assert.equal(settings.maxFileBytes, 2 * 1024 * 1024);
    assert.deepEqual(problems, []);
  });
  it('falls back to defaults with a clear problem for invalid values', () => {
    const { settings, problems } = parseSettings({ maxFileSizeMB: -1, baseUrl: 'not a url', defaultModel: '' });
    assert.equal(settings.maxFileBytes, 2 * 1024 * 1024);
    assert.equal(settings.baseUrl, 'https://api.openai.com/v1');
    assert.equal(settings.defaultModel, 'gpt-4o-mini');
    assert.equal(problems.length, 3);
    assert.ok(problems.some((problem) => /promptmeter\.maxFileSizeMB: -1 is not valid/.test(problem)));
  });
  it('validates price overrides field by field', () => {
    const { settings, problems } = parseSettings({
      'pricing.overrides': {
        local: { input: 0, output: 0, tier: 2 },
        broken: { input: 'cheap', encoding: 'p50k' },
        worse: 3,
      },
    });
    assert.deepEqual(settings.pricingOverrides.local, { input: 0, output: 0, tier: 2 });
    assert.deepEqual(settings.pricingOverrides.broken, {});
    assert.equal(settings.pricingOverrides.worse, undefined);
    assert.equal(problems.length, 3);
  });
  it('reads rateLimits.shared, also when VS Code nests it inside the rateLimits object', () => {
    assert.equal(parseSettings({}).settings.rateLimitsShared, true);
    assert.equal(parseSettings({ 'rateLimits.shared': false }).settings.rateLimitsShared, false);
    const nested = parseSettings({ rateLimits: { default: { rpm: 60 }, shared: false } });
    assert.deepEqual(nested.problems, []);
    assert.deepEqual(nested.settings.rateLimits, { default: { rpm: 60 } });
    assert.equal(nested.settings.rateLimitsShared, false);
  });
  it('strips a trailing slash from the base URL', () => {
    assert.equal(parseSettings({ baseUrl: 'http://127.0.0.1:8080/v1/' }).settings.baseUrl, 'http://127.0.0.1:8080/v1');
  });
});

describe('API key header by base URL', () => {
  it('Azure OpenAI gets api-key, everything else a bearer token', () => {
    assert.equal(apiKeyHeaderFor('https://my-resource.openai.azure.com/openai/v1'), 'api-key');
    assert.equal(apiKeyHeaderFor('https://my-resource.cognitiveservices.azure.com/openai/v1'), 'api-key');
    assert.equal(apiKeyHeaderFor('https://api.openai.com/v1'), 'authorization');
    assert.equal(apiKeyHeaderFor('http://127.0.0.1:8080/v1'), 'authorization');
  });
});
