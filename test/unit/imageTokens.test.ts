import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createFileDocumentReader } from '../../src/core/chunking/fileDocumentReader';
import { Estimator } from '../../src/core/estimate/estimator';
import { estimateCost } from '../../src/core/pricing/cost';
import { estimateJson } from '../../src/cli/estimateReport';
import { estimateText } from '../../src/cli/estimateText';
import { promptBreakdownMarkdown } from '../../src/core/estimate/breakdownMarkdown';
import { imageSize, imageTokens, promptImage } from '../../src/core/tokens/imageTokens';
import { loadedTokenizers, testEstimator } from '../support/estimator';

/** The first bytes of a PNG of the given size (signature and IHDR chunk): what the size is read from. */
function pngHeader(width: number, height: number): Buffer {
  const header = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'latin1');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  return header;
}

describe('image input tokens (OpenAI vision rules)', () => {
  it("tiles: the guide's examples on gpt-4o (high 1024² = 765, 2048×4096 = 1105, low = 85)", () => {
    assert.deepEqual(imageTokens('gpt-4o', { source: 'a.png', detail: 'high', width: 1024, height: 1024 }), {
      tokens: 765,
      assumptions: [],
    });
    assert.equal(imageTokens('gpt-4o', { source: 'a.png', detail: 'high', width: 2048, height: 4096 }).tokens, 1105);
    assert.equal(imageTokens('gpt-4o', { source: 'a.png', detail: 'low', width: 4000, height: 3000 }).tokens, 85);
    assert.equal(imageTokens('gpt-4o-mini', { source: 'a.png', detail: 'low' }).tokens, 2833);
    assert.equal(imageTokens('o3', { source: 'a.png', detail: 'high', width: 512, height: 512 }).tokens, 75 + 150);
  });

  it('patches: 1024² is 1024 patches, 1800×2400 is scaled to 1452; multiplied per model', () => {
    assert.equal(
      imageTokens('gpt-4.1-mini', { source: 'a.png', detail: 'high', width: 1024, height: 1024 }).tokens,
      Math.ceil(1024 * 1.62),
    );
    assert.equal(
      imageTokens('gpt-4.1-nano', { source: 'a.png', detail: 'low', width: 1800, height: 2400 }).tokens,
      Math.ceil(1452 * 2.46),
    );
    assert.equal(imageTokens('o4-mini', { source: 'a.png', detail: 'auto', width: 32, height: 32 }).tokens, 2);
  });

  it('what is not known is assumed and said: size, auto detail, a model outside the table', () => {
    const unknownSize = imageTokens('gpt-4o', { source: 'https://example.com/x.png', detail: 'auto' });
    assert.equal(unknownSize.tokens, 765);
    assert.deepEqual(unknownSize.assumptions, ['detail auto: counted as high', 'size unknown: assumed 1024×1024']);
    const unknownModel = imageTokens('gpt-6-luna', { source: 'a.png', detail: 'high', width: 512, height: 512 });
    assert.equal(unknownModel.tokens, 70 + 140);
    assert.match(unknownModel.assumptions[0] ?? '', /not in OpenAI's image table/);
  });

  it('reads the size of a data: URL image from its header', () => {
    assert.deepEqual(imageSize(pngHeader(640, 480)), { width: 640, height: 480 });
    const gif = Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x20, 0x03, 0x58, 0x02]);
    assert.deepEqual(imageSize(gif), { width: 800, height: 600 });
    const image = promptImage(`data:image/png;base64,${pngHeader(300, 200).toString('base64')}`);
    assert.equal(image.width, 300);
    assert.equal(image.height, 200);
    assert.equal(image.source, 'data:image/png;base64,…');
    assert.equal(imageSize(Buffer.from('not an image')), undefined);
  });
});

describe('images in the estimate', () => {
  const tokenizers = loadedTokenizers();
  const dataUrl = `data:image/png;base64,${pngHeader(1024, 1024).toString('base64')}`;

  it('Prompty ![alt](…) images are input tokens in the total and in the breakdown, labelled', async () => {
    const text = `---\nmodel:\n  id: gpt-4o\n  options:\n    maxOutputTokens: 100\n---\nsystem:\nDescribe images.\n\nuser:\nWhat is in these?\n![chart](${dataUrl})\n![photo](https://example.com/photo.jpg)\n`;
    const withoutImages = text.replace(/!\[[^\n]*\n/g, '');
    const estimator = testEstimator(tokenizers);
    const estimate = (await estimator.estimate(estimator.parse('vision.prompty', text, 'prompty'), text)).estimates[0]!;
    const plain = (await estimator.estimate(estimator.parse('plain.prompty', withoutImages, 'prompty'), withoutImages))
      .estimates[0]!;
    const images = estimate.breakdown.images ?? [];
    assert.deepEqual(
      images.map((image) => image.tokens),
      [765, 765],
    );
    assert.deepEqual(images[0]!.assumptions, ['detail auto: counted as high']);
    assert.ok(images[1]!.assumptions.includes('size unknown: assumed 1024×1024'));
    const textTokens =
      estimate.breakdown.messages.reduce((sum, message) => sum + message.tokens, 0) + estimate.breakdown.framing;
    assert.equal(estimate.inputTokens, textTokens + 765 * 2);
    assert.ok(estimate.inputTokens > plain.inputTokens + 1500);
    const markdown = promptBreakdownMarkdown(estimate);
    assert.match(markdown, /image tokens: .*photo\\\.jpg.*assumed: .*size unknown.* \| 765 \|/);
  });

  it("Dotprompt {{media url=…}} is counted on the model's rule (gpt-4o-mini tiles cost more)", async () => {
    const text = `---\nmodel: openai/gpt-4o-mini\ninput:\n  default:\n    photo: https://example.com/receipt.png\n---\n{{role "user"}}\nRead this receipt.\n{{media url=photo}}\n`;
    const estimator = testEstimator(tokenizers);
    const estimate = (await estimator.estimate(estimator.parse('receipt.prompt', text, 'dotprompt'), text))
      .estimates[0]!;
    assert.deepEqual(
      estimate.breakdown.images?.map((image) => [image.source, image.tokens]),
      [['https://example.com/receipt.png', 2833 + 5667 * 4]],
    );
    assert.equal(estimate.prompt.messages[0]!.content, 'Read this receipt.');
  });

  it('a local image file beside the prompt is sized from its header (nothing assumed at detail high)', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'pm-images-'));
    writeFileSync(path.join(folder, 'wide chart.png'), pngHeader(2048, 512));
    const text =
      '---\nmodel:\n  id: gpt-4.1-mini\n---\nuser:\nSummarize ![chart](wide%20chart.png) and ![gone](missing.png)\n';
    const estimator = new Estimator(
      tokenizers,
      { defaultModel: 'gpt-4o-mini', pricingOverrides: {}, maxFileBytes: 2 * 1024 * 1024 },
      undefined,
      createFileDocumentReader(folder),
    );
    const estimate = (await estimator.estimate(estimator.parse('vision.prompty', text, 'prompty'), text)).estimates[0]!;
    const [chart, gone] = estimate.breakdown.images ?? [];
    assert.deepEqual(chart, { source: 'wide%20chart.png', tokens: Math.ceil(64 * 16 * 1.62), assumptions: [] });
    assert.deepEqual(gone?.assumptions, ['size unknown: assumed 1024×1024']);
  });

  it('a recommended model is priced with its own image tokens (gpt-4o-mini bills images at 2833 + 5667 per tile)', async () => {
    const images = Array.from(
      { length: 6 },
      (_, index) => `![page ${index}](https://example.com/page-${index}.png)`,
    ).join('\n');
    const text = `---\nmodel:\n  id: gpt-4o\n  options:\n    maxOutputTokens: 50\n---\nuser:\nWhich page mentions the refund policy?\n${images}\n`;
    const estimator = testEstimator(tokenizers);
    const estimate = (await estimator.estimate(estimator.parse('pages.prompty', text, 'prompty'), text)).estimates[0]!;
    const imageTotal = (estimate.breakdown.images ?? []).reduce((sum, image) => sum + image.tokens, 0);
    assert.equal(imageTotal, 6 * 765);
    const recommendation = estimate.recommendation;
    assert.ok(recommendation, 'a cheaper model exists');
    assert.notEqual(recommendation.model, 'gpt-4o-mini', 'gpt-4o-mini costs more once its image tokens are counted');
    const onRecommended =
      estimate.inputTokens - imageTotal + 6 * imageTokens(recommendation.model, { source: 'x', detail: 'auto' }).tokens;
    const price = estimator.currentPricing.priceFor(recommendation.model)!;
    assert.equal(recommendation.cost.input, estimateCost(price, onRecommended, 0).input);
  });

  it('the CLI lists image tokens in --json and under the prompt in the table, labelled as assumed', async () => {
    const text = '---\nmodel:\n  id: gpt-4o\n---\nuser:\nCompare ![a](a.png) and ![b](b.png).\n';
    const estimator = testEstimator(tokenizers);
    const file = await estimator.estimate(estimator.parse('two.prompty', text, 'prompty'), text);
    const report = estimateJson([{ displayPath: 'two.prompty', estimate: file }]);
    assert.deepEqual(
      report.prompts[0]!.images?.map((image) => [image.source, image.tokens]),
      [
        ['a.png', 765],
        ['b.png', 765],
      ],
    );
    assert.match(
      estimateText(report),
      /↳ 2 images: 1,530 image tokens included \(estimate; assumed: detail auto: counted as high; size unknown: assumed 1024×1024\)/,
    );
  });
});
