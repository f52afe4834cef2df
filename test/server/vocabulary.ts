/** Word lists for the test server's answers: a few hundred words, so seeded answers never look alike. */
const words = (text: string): readonly string[] => text.trim().split(/\s+/);

export const NOUNS = words(`
  account adapter alert allocation archive artifact audit backlog backup balance batch benchmark billing
  boundary branch budget buffer bundle cache calendar campaign capacity carrier catalog certificate channel
  checklist checkpoint client cluster column commit compiler config connection console container contract
  cookie coupon credential cursor customer dashboard database deadline dependency deployment device diagram
  directory discount dispatch document domain draft driver endpoint engine estimate event exception export
  feature feedback field filter firmware flag forecast form framework gateway grant graph handler header
  heuristic hierarchy histogram hook incident index inventory invoice issue job journal kernel key label
  latency ledger license limit listener loader locale lock log manifest margin metric migration milestone
  mirror model module monitor namespace node notebook notification offset onboarding order package pager
  parser partition patch payload payment permission pipeline plan plugin policy pool portal preview printer
  process profile prompt proposal protocol proxy quota queue receipt record refund region registry release
  replica report repository request reservation resolver resource response retry review roadmap role route
  runbook sample scanner schedule schema scope script secret segment sensor server session setting shard
  shipment signal snapshot socket spreadsheet sprint stack stakeholder statement subscription supplier
  survey switch table tag task template tenant ticket timeline token topic tracker transaction transcript
  trigger upload vendor version volume voucher warehouse webhook widget window workflow workspace`);

export const ADJECTIVES = words(`
  accurate active actionable adaptive aggregate annual asynchronous audited automated available backward
  balanced basic brittle broken bulk cached careful central chronic clean cold complex compliant concurrent
  consistent critical current custom daily dedicated default delayed detailed distributed duplicate dynamic
  early efficient empty encrypted expensive experimental expired external failed fast flaky flexible fresh
  frozen generic global granular hidden historical hourly idle immutable incomplete incremental initial
  internal isolated large legacy lightweight linear local manual minimal missing mobile monthly nested noisy
  offline optional orphaned outdated overdue parallel partial pending periodic persistent pinned primary
  private quarterly quiet random readable recent redundant regional remote reusable robust scalable scoped
  seasonal secondary secure sensitive shared silent simple slow sparse stable stale static strict temporary
  transient trusted unused urgent verbose visible volatile weekly`);

export const VERBS = words(`
  adjust allocate analyze approve archive audit automate batch benchmark block cancel check clean compare
  compress configure confirm consolidate convert correct debug deploy describe detect disable document
  draft enable escalate estimate evaluate export extend filter flag forecast format group handle import
  index inspect isolate label limit link load lock log map measure merge migrate monitor normalize notify
  optimize order pause plan patch prioritize profile publish queue rebuild reconcile record reduce refresh
  register reject release remove rename replay report request reset resolve restore retry review rotate
  route sample scale schedule score secure segment separate share simplify sort split stage summarize
  support sync tag test trace track train transfer trim tune update upgrade validate verify version watch`);

export const ADVERBS = words(`
  carefully early explicitly first gradually incrementally locally manually only periodically quickly
  regularly safely separately slowly steadily temporarily together weekly`);

export const TOPIC_SUFFIXES = words(`
  basics limits errors planning tradeoffs migration checks patterns setup audits recovery rollout costs
  reviews alerts policies ownership metrics edge-cases troubleshooting`);
