// The message catalogue: every sentence akgate's reports show a person, in
// English and in Simplified Chinese, keyed by an id, so that the two
// languages cannot drift apart (tests/unit/messages_test.cc checks that
// every id has both texts with the same placeholders).
//
//   Say(lang, Msg::kRejectedFindings, {{"secrets", ...}, {"carriers", ...}})
//   Count(lang, Msg::kFiles, 3)                 // "3 files" / "3 个文件"
//
// A text names its placeholders in braces, "{file}"; Say fills each from
// `args` (a value is inserted as it is, never read for placeholders itself,
// so a hostile path or commit subject cannot inject one). Commands, paths,
// option names, fingerprints and rule ids are the same in both languages:
// they are placeholders or written verbatim in both texts. Rule
// descriptions ("Alibaba Cloud AccessKey pair ...") come from the rule files
// and are shown as written.
//
// Only human-facing text lives here: the audit log, the logs, JSON and
// SARIF stay English.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "report/language.h"

namespace akgate {

enum class Msg {
  // --- push report: verdicts and summaries (report/push_report.cc) ---
  kRejectedUnrecorded,
  kUnrecordedExplained,
  kCheckTimedOut,
  kCheckFailed,
  kAcceptedFailureBypassed,
  kAcceptedUnchecked,
  kRejectedFailure,
  kPolicyUnreadable,
  kFailModeBlock,
  kFailModeAllow,
  kSoFar,
  kTryFewerCommits,
  kTellAdministrators,
  kBypassRefused,
  kYou,
  kBypassNotPermitted,
  kAllowNotPermitted,
  kReasonRequired,
  kMayBypassAnyway,
  kAcceptedBypassed,
  kThePusher,
  kReasonGiven,
  kRotateIfReal,
  kRecordedNotified,
  kRecorded,
  kNotified,
  kRejectedFindings,
  kMonitoredFindings,
  kMonitoredFailure,
  kMonitorExplained,
  kCheckedParen,
  kAlsoWarnings,
  kAccepted,
  kAcceptedWithWarnings,
  kWarningsExplained,
  kChecked,
  kListSeparator,
  // --- counts (English has a singular and a plural) ---
  kSecrets,
  kWarnings,
  kNewCommits,
  kCommits,
  kTags,
  kFiles,
  kMorePlaces,
  kPairedAcrossPush,
  kPairedAcrossCommit,
  kBlockingFindings,
  // --- where the secrets are ---
  kCarrierCommits,
  kCarrierTag,
  kCarrierTags,
  kCarrierCommitsAndTags,
  kSeenCommit,
  kSeenTag,
  kSeenCommits,
  kSeenTags,
  kSeenCommitsAndTags,
  // --- one finding ---
  kWholeFile,
  kMessageLine,
  kCommit,
  kCommitBy,
  kCommitSubject,
  kEncoded,
  kInCommitMessage,
  kInTagMessage,
  kInTaggedObject,
  kFingerprint,
  kRuleParen,
  kMoreNotShown,
  kSourceFile,
  kSourceCommitMessage,
  kSourceTagMessage,
  kSourceTaggedObject,
  kNotScanned,
  kAndMore,
  // --- how to fix it ---
  kHowToFix,
  kRemove,
  kRemoveFromHistory,
  kFixLastCommit,
  kFixLastCommitHow,
  kFixOlderCommit,
  kFixOlderCommitHow,
  kFixManyCommits,
  kSecretsFileLine1,
  kSecretsFileLine2,
  kFilterRepoOrigin,
  kFixTag,
  kRotate,
  kNotSecretAskAdmins,
  kNoPushOptions,
  kNotSecretPushAnyway,
  kReasonOption,
  kOneAllowPerFinding,
  kOrBypass,
  kBypass,
  kToldRecordedNotified,
  kToldRecorded,
  kToldNotified,
  kBypassCommand,
  kOrAskAdmins,
  kTitleWhere,
  kTitleWhereCommit,
  // --- notes, allowed and pre-existing findings ---
  kNote,
  kAllowIgnored,
  kAllowUnused,
  kLanguageUnknown,
  kInlineRefused,
  kPreviousUnknown,
  kNotRecordedNote,
  kAllowedRecorded,
  kAllowedHeading,
  kAllowedByOption,
  kAllowedInline,
  kAllowedByPolicy,
  kPreExistingCounted,
  kPreExistingHeading,
  // --- GitLab's web UI (RenderGitLabMessage) ---
  kGitLabFinding,
  kGitLabFindingCommit,
  kGitLabFindingTag,
  kGitLabMore,
  kGitLabWhatToDo,
  // --- rotation advice per provider (RotationAdvice) ---
  kAdviceAlibaba,
  kAdviceAws,
  kAdviceTencent,
  kAdviceHuawei,
  kAdviceVolcengine,
  kAdviceGoogle,
  kAdviceAzure,
  kAdviceGitHub,
  kAdviceGitLab,
  kAdviceSlack,
  kAdviceStripe,
  kAdviceGeneric,
  // --- `akgate scan`'s text report (report/text_report.cc) ---
  kScanBlock,
  kScanWarn,
  kScanRuleFingerprint,
  kScanned,
  kScannedSkipped,
  kScanAllowed,
  kScanBlockingSummary,
  kScanOnlyWarnings,
  kScanNoFindings,
  // --- `akgate scan --history`'s text report (report/history_report.cc) ---
  kHistoryRepository,
  kHistoryRepositoryError,
  kHistoryIntroducedBy,
  kHistoryInCommitMessage,
  kHistoryInTagMessage,
  kHistoryInTaggedObject,
  kHistoryUnreachable,
  kHistorySpread,
  kHistorySpreadReachable,
  kHistoryReachable,
  kHistoryStillInPath,
  kHistoryStillInMore,
  kHistoryAndMore,
  kHistoryOnly,
  kHistoryScanned,
  kHistorySkipped,
  kHistoryAbsent,
  kHistoryDamaged,
  kHistoryRotate,
  kRepositories,
  kRefs,
  kBlobs,
  kPaths,

  kCount  // not a message
};

// One entry of the catalogue.
struct MessageText {
  Msg id;
  const char* en;       // English; for a count, the singular ("{n} file")
  const char* en_many;  // for a count, the English plural ("{n} files"); else null
  const char* zh;       // Simplified Chinese (zh-CN)
};

// The entry of `id` (for tests: every id has one).
const MessageText& CatalogueEntry(Msg id);

using MessageArgs = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// The text of `id` in `lang` with its placeholders filled from `args`; a
// placeholder without a value stays as written.
std::string Say(Language lang, Msg id, MessageArgs args = {});

// A counted text: `n` fills "{n}", and picks English's singular or plural.
std::string Count(Language lang, Msg id, uint64_t n, MessageArgs args = {});

// Two sentences in a row: a space between them in English, none in Chinese
// (a Chinese sentence ends with a full-width stop). Either may be empty.
std::string JoinSentences(Language lang, const std::string& a, const std::string& b);

}  // namespace akgate
