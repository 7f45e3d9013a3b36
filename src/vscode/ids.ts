/** Command ids, as contributed in package.json. */
export const COMMANDS = {
  showCostBreakdown: 'promptmeter.showCostBreakdown',
  chooseModel: 'promptmeter.chooseModel',
  recommendModel: 'promptmeter.recommendModel',
  applyModel: 'promptmeter.applyModel',
  setApiKey: 'promptmeter.setApiKey',
  clearApiKey: 'promptmeter.clearApiKey',
  runPrompt: 'promptmeter.runPrompt',
  runPromptFresh: 'promptmeter.runPromptFresh',
  runFolder: 'promptmeter.runFolder',
  resumeRun: 'promptmeter.resumeRun',
  retryFailedJobs: 'promptmeter.retryFailedJobs',
  openRunView: 'promptmeter.openRunView',
  openCostReport: 'promptmeter.openCostReport',
  exportCostReport: 'promptmeter.exportCostReport',
  openPromptFilesAsMarkdown: 'promptmeter.openPromptFilesAsMarkdown',
  compareModels: 'promptmeter.compareModels',
} as const;

export const CONFIGURATION_SECTION = 'promptmeter';

/** Context key set while the active editor holds a prompt file. */
export const IS_PROMPT_FILE_CONTEXT = 'promptmeter.isPromptFile';

/** Virtual documents showing cost breakdowns. */
export const BREAKDOWN_SCHEME = 'promptmeter-breakdown';

/** The Cost Report webview view in the Prompt Meter activity bar container. */
export const COST_REPORT_VIEW = 'promptmeter.costReport';

/** The Compare Models result webview panel. */
export const COMPARISON_PANEL = 'promptmeter.comparison';
