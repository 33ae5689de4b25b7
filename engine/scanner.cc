// The engine's pipeline, stage by stage (see scanner.h for the map).
#include "engine/scanner.h"

#include <algorithm>
#include <cstring>

#include "engine/archive.h"
#include "engine/candidate.h"
#include "engine/compile_cache.h"
#include "engine/compiled_rules.h"
#include "engine/confirm.h"
#include "engine/content_class.h"
#include "engine/decode.h"
#include "engine/fingerprint.h"
#include "engine/pairing.h"
#include "engine/redact.h"
#include "engine/sha256.h"
#include "engine/text_encoding.h"

namespace akgate {

struct ScanScratch::Impl {
  explicit Impl(const CompiledRules& compiled) : literal(compiled.literals()) {}
  LiteralScratch literal;
  WindowCollector windows;
  std::vector<uint64_t> triggers;
  const CompiledRules* rules = nullptr;
};

ScanScratch::ScanScratch(const Scanner& scanner) : impl_(std::make_unique<Impl>(scanner.compiled())) {
  impl_->rules = &scanner.compiled();
}
ScanScratch::~ScanScratch() = default;

Scanner::Scanner(std::unique_ptr<CompiledRules> compiled) : compiled_(std::move(compiled)) {}
Scanner::~Scanner() = default;

std::vector<RulePlan> Scanner::Plan() const {
  std::vector<RulePlan> out;
  for (const CompiledRule& cr : compiled_->rules()) {
    RulePlan p;
    p.rule = cr.rule;
    p.pair_part = cr.pair_part;
    p.anchoring = AnchoringName(cr.anchoring);
    if (cr.anchoring == Anchoring::kAtoms) p.atoms = cr.atoms;
    p.full_scan = cr.anchoring == Anchoring::kFullScan;
    out.push_back(std::move(p));
  }
  return out;
}

size_t Scanner::LiteralCount() const { return compiled_->literals().size(); }

const RuleSet& Scanner::rules() const { return compiled_->set(); }

Status Scanner::Create(const RuleSet& rules, std::unique_ptr<Scanner>* out) {
  return Create(rules, DefaultCompileCacheDir(), out);
}

Status Scanner::Create(const RuleSet& rules, const std::string& cache_dir, std::unique_ptr<Scanner>* out) {
  return Create(rules, cache_dir, FingerprintKey(), out);
}

Status Scanner::Create(const RuleSet& rules, const std::string& cache_dir, const FingerprintKey& key,
                       std::unique_ptr<Scanner>* out) {
  std::unique_ptr<CompiledRules> compiled;
  AKGATE_RETURN_IF_ERROR(CompiledRules::Build(rules, cache_dir, &compiled));
  compiled->set_fingerprint_key(key);
  out->reset(new Scanner(std::move(compiled)));
  return Status::Ok();
}

namespace {

constexpr size_t kMaxTriggers = 4096;

struct HitContext {
  const CompiledRules* rules;
  WindowCollector* windows;
  std::vector<uint64_t>* triggers;
};

void OnLiteral(void* p, uint32_t id, uint64_t end) {
  auto* h = static_cast<HitContext*>(p);
  const LiteralRole& role = h->rules->roles()[id];
  for (uint32_t r : role.gates) h->windows->OnGate(r);
  for (uint32_t r : role.anchors) h->windows->OnAnchor(r, end);
  if (role.base64_trigger && h->triggers->size() < kMaxTriggers) h->triggers->push_back(end);
}

// Findings of one fragment (or of decoded content within it) with offsets
// and lines relative to `data`.
void ScanText(const CompiledRules& rules, std::string_view path, std::string_view data,
              const std::vector<uint8_t>& rule_active, ScanScratch::Impl& scratch, int depth, uint64_t* budget,
              std::vector<Finding>* out, uint64_t* comparisons) {
  scratch.windows.Reset(rules, data);
  scratch.triggers.clear();
  HitContext ctx{&rules, &scratch.windows, &scratch.triggers};
  rules.literals().Scan(data, scratch.literal, &OnLiteral, &ctx);
  scratch.windows.Finish();

  std::vector<Candidate> candidates;
  ConfirmWindows(rules, scratch.windows, path, data, rule_active, &candidates);
  // By offset, then by rule order in the file: ties resolve the same way every time.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.start != b.start ? a.start < b.start : a.rule < b.rule;
  });
  AssignLines(data, &candidates);
  PairCandidates(rules, path, data, &candidates, out, comparisons);

  if (depth >= rules.set().limits.max_decode_depth || scratch.triggers.empty() || *budget == 0) return;
  std::vector<uint64_t> triggers = scratch.triggers;  // the recursion reuses the scratch
  std::vector<DecodedRegion> regions;
  BuildDecodedRegions(data, triggers, budget, &regions);
  for (const DecodedRegion& region : regions) {
    std::vector<Finding> inner;
    ScanText(rules, path, region.text, rule_active, scratch, depth + 1, budget, &inner, comparisons);
    for (Finding& f : inner) {
      bool decoded = false;
      for (FindingPart& part : f.parts) part.location.offset = region.ToOriginal(part.location.offset, &decoded);
      // Findings that touch no decoded text were already found in plain text.
      if (!decoded) continue;
      bool duplicate = false;
      for (const Finding& g : *out)
        if (g.rule_id == f.rule_id && g.legacy_fingerprint == f.legacy_fingerprint) duplicate = true;
      if (duplicate) continue;
      f.encoding = "base64";
      out->push_back(std::move(f));
    }
  }
}

// Lines and columns (1-based) from offsets, in one pass over the data.
void Locate(std::string_view data, std::vector<Finding>* findings) {
  std::vector<Location*> locs;
  for (Finding& f : *findings)
    for (FindingPart& p : f.parts)
      if (p.location.offset != Location::kWholeFile) locs.push_back(&p.location);
  std::sort(locs.begin(), locs.end(), [](const Location* a, const Location* b) { return a->offset < b->offset; });
  uint64_t pos = 0, line_start = 0;
  uint32_t line = 1;
  for (Location* l : locs) {
    uint64_t to = std::min<uint64_t>(l->offset, data.size());
    while (pos < to) {
      const void* nl = std::memchr(data.data() + pos, '\n', to - pos);
      if (!nl) {
        pos = to;
        break;
      }
      pos = static_cast<const char*>(nl) - data.data() + 1;
      line_start = pos;
      ++line;
    }
    l->line = line;
    l->column = static_cast<uint32_t>(to - line_start + 1);
  }
}

bool LineHasMarker(std::string_view line, const std::vector<std::string>& markers) {
  for (const std::string& m : markers)
    if (!m.empty() && line.find(m) != std::string_view::npos) return true;
  return false;
}

// Rules that apply to a path (a rule's `path` restricts it).
std::vector<uint8_t> ActiveRules(const CompiledRules& rules, std::string_view path) {
  std::vector<uint8_t> active(rules.rules().size(), 1);
  for (uint32_t r : rules.path_restricted_rules())
    if (!RE2::PartialMatch(path, rules.rules()[r].path_re->get())) active[r] = 0;
  return active;
}

// One fragment's content: its text, or the members of the archive it is.
struct ContentScan {
  const CompiledRules& rules;
  ScanScratch::Impl& scratch;
  std::string_view path;  // the fragment's
  std::string_view data;
  FragmentResult* result;
  std::vector<Finding>* findings;
  uint64_t decode_budget;
  ArchiveBudget archive;
  std::string content_id;  // hash of the fragment, for unscannable findings (lazily)
};

// What could not be read is counted, and reported as a finding of its own
// with the limits' action: never a silent pass.
void Unscannable(ContentScan& cs, const std::string& member, SkipReason why) {
  cs.result->unscanned.push_back({member, why});
  const ContentLimits& limits = cs.rules.set().limits;
  if (why == SkipReason::kOversize || limits.unscannable == Action::kOff) return;  // as a plain file's
  if (cs.content_id.empty()) {
    Sha256 h;
    h.Update(cs.data);
    cs.content_id = h.FinalHex(16);
  }
  Finding f;
  f.rule_id = "unscannable-content";
  f.description = std::string("Content that could not be scanned (") + SkipReasonName(why) + ")";
  f.action = limits.unscannable;
  f.path = std::string(cs.path) + (member.empty() ? "" : "!" + member);
  f.member = member;
  FindingPart part;
  part.name = "unscannable content";
  part.rule_id = f.rule_id;
  part.location.offset = Location::kWholeFile;
  part.redacted = std::string("(not scanned: ") + SkipReasonName(why) + ")";
  part.fingerprint = Fingerprint(cs.rules.fingerprint_key(), FingerprintKind::kUnscannable, "",
                                 member + std::string(1, '\0') + cs.content_id);
  part.legacy_fingerprint = LegacyFingerprint(f.rule_id, {member, cs.content_id});
  f.legacy_fingerprint = part.legacy_fingerprint;
  f.fingerprint = part.fingerprint;
  f.parts.push_back(std::move(part));
  cs.findings->push_back(std::move(f));
}

// `member` is "" for the fragment itself, else the path inside it.
void ScanContent(ContentScan& cs, const std::string& member, std::string_view data, int depth,
                 const std::vector<uint8_t>& active) {
  const ContentLimits& limits = cs.rules.set().limits;
  const std::string path = member.empty() ? std::string(cs.path) : std::string(cs.path) + "!" + member;
  if (limits.scan_archives && LooksLikeArchive(data)) {
    if (depth >= limits.max_archive_depth) return Unscannable(cs, member, SkipReason::kNestedTooDeep);
    auto inner = [&](const std::string& name) {
      return member.empty() ? name : name.empty() ? member : member + "!" + name;
    };
    ArchiveVisitor v;
    v.member = [&](const std::string& name, std::string_view d) {
      std::string m = inner(name);
      ScanContent(cs, m, d, depth + 1, ActiveRules(cs.rules, std::string(cs.path) + "!" + m));
    };
    v.unscannable = [&](const std::string& name, SkipReason why) { Unscannable(cs, inner(name), why); };
    ReadArchive(path, data, limits, &cs.archive, v);
    return;
  }
  // UTF-16 text (text_encoding.h) is scanned as UTF-8.
  std::string decoded;
  std::string_view text = data;
  TextEncoding encoding = data.size() <= limits.max_fragment_bytes ? DetectUtf16(data) : TextEncoding::kUtf8;
  if (encoding != TextEncoding::kUtf8) {
    Utf16ToUtf8(data, encoding, &decoded);
    text = decoded;
  }
  SkipReason skip = ClassifyContent(path, text, limits);
  if (skip != SkipReason::kNone) {
    // A binary member (a class in a jar) is not text, as a binary file is not.
    if (member.empty())
      cs.result->skipped = skip;
    else if (skip == SkipReason::kOversize)
      Unscannable(cs, member, skip);
    return;
  }
  std::vector<Finding> found;
  ScanText(cs.rules, path, text, active, cs.scratch, 0, &cs.decode_budget, &found, &cs.result->pair_comparisons);
  Locate(text, &found);
  for (Finding& f : found) {
    f.member = member;
    if (encoding != TextEncoding::kUtf8 && f.encoding.empty()) f.encoding = TextEncodingName(encoding);
    for (const FindingPart& p : f.parts)
      if (p.location.line && LineHasMarker(LineAround(text, p.location.offset, 1 << 16), limits.inline_allow_markers))
        f.inline_allowed = true;
    cs.findings->push_back(std::move(f));
  }
}

}  // namespace

FragmentResult Scanner::Scan(const Fragment& fragment, ScanScratch& scratch) const {
  const CompiledRules& rules = *compiled_;
  const ContentLimits& limits = rules.set().limits;
  FragmentResult result;
  if (rules.global_allowlist().condition == Allowlist::Condition::kOr &&
      rules.global_allowlist().AllowsPath(fragment.path)) {
    result.skipped = SkipReason::kAllowlistedPath;
    return result;
  }
  // Rules restricted to some paths; path-only rules report the file itself,
  // whatever its content (a .p12 keystore is binary).
  const std::vector<uint8_t> active = ActiveRules(rules, fragment.path);
  std::vector<Finding> findings;
  for (uint32_t r : rules.path_rules()) {
    if (!active[r]) continue;
    const Rule& rule = *rules.rules()[r].rule;
    if (rule.action == Action::kOff) continue;
    Finding f;
    f.rule_id = rule.id;
    f.description = rule.description;
    f.provider = rule.provider;
    f.action = rule.action;
    f.path.assign(fragment.path);
    FindingPart part;
    part.name = rule.description;
    part.rule_id = rule.id;
    part.location.offset = Location::kWholeFile;
    part.redacted = "(the whole file)";
    part.fingerprint = Fingerprint(rules.fingerprint_key(), FingerprintKind::kFile, rule.provider, fragment.path);
    part.legacy_fingerprint = LegacyFingerprint(rule.id, {fragment.path});
    f.fingerprint = part.fingerprint;
    f.legacy_fingerprint = part.legacy_fingerprint;
    f.parts.push_back(std::move(part));
    findings.push_back(std::move(f));
  }
  ContentScan cs{rules, *scratch.impl(), fragment.path, fragment.data, &result, &findings, limits.max_decoded_bytes, {},
                 {}};
  ScanContent(cs, "", fragment.data, 0, active);
  result.decoded_bytes = limits.max_decoded_bytes - cs.decode_budget;

  const auto& fingerprints = rules.global_allowlist().fingerprints;
  for (Finding& f : findings) {
    if (f.inline_allowed) {  // marked where its text was at hand (ScanContent)
      result.inline_allowed++;
      f.inline_allowed = true;
      result.inline_allowed_findings.push_back(std::move(f));
      continue;
    }
    bool fp_allowed = fingerprints.count(f.fingerprint) > 0;
    for (const FindingPart& p : f.parts)
      if (fingerprints.count(p.fingerprint)) fp_allowed = true;
    // An entry in the pre-0.2 form still allows; it is reported with the
    // fingerprint to replace it with (fingerprint.h).
    if (!fp_allowed && !fingerprints.empty()) {
      if (fingerprints.count(f.legacy_fingerprint)) {
        fp_allowed = true;
        result.legacy_allowlist.emplace_back(f.legacy_fingerprint, f.fingerprint);
      }
      for (const FindingPart& p : f.parts)
        if (!fp_allowed && fingerprints.count(p.legacy_fingerprint)) {
          fp_allowed = true;
          result.legacy_allowlist.emplace_back(p.legacy_fingerprint, p.fingerprint);
        }
    }
    if (fp_allowed) {
      result.fingerprint_allowed++;
      continue;
    }
    result.findings.push_back(std::move(f));
  }
  std::stable_sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
    if (a.member != b.member) return a.member < b.member;  // offsets are each member's own
    auto key = [](const Finding& f) {
      return f.location().offset == Location::kWholeFile ? 0 : f.location().offset + 1;
    };
    return key(a) < key(b);
  });
  return result;
}

}  // namespace akgate
