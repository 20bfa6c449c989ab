export { ACTION_LOOK, type ActionApi, actionTitle, pickActionApi, showOnAction } from './action';
export {
  type Background,
  type BackgroundBrowser,
  type BackgroundDeps,
  createBackground,
  type RunSummary,
} from './background';
export {
  CONTENT_SCRIPT_FILE,
  type ContentScriptsApi,
  createGenericShops,
  GENERIC_SCRIPT_FILE,
  GENERIC_SCRIPT_ID,
  type GenericShops,
  type GenericShopsDeps,
  genericShopPatterns,
  originGranted,
} from './generic-shops';
export { MIN_DELAY_MS, nextAlarmTime, WORK_ALARM } from './schedule';
export {
  createTabStates,
  createTabWriteQueue,
  type SessionArea,
  type TabStates,
  type TabWriteQueue,
  tabKey,
} from './tab-state';
