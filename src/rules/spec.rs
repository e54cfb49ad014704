//! The TOML schema of rule files, as written by a rules maintainer.
//!
//! These structs only describe what a file may say; `compile` checks that
//! what it says makes sense and turns it into a [`super::RuleSet`]. Unknown
//! keys are errors (`deny_unknown_fields`), keys are kebab-case.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// One rule file: rules plus the engine settings it chooses to set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleFile {
    /// `"default"` layers this file on the built-in pack; a path (relative
    /// to this file) layers it on another profile.
    pub extends: Option<Spanned<String>>,
    /// Keep only rules matching these ids or prefixes (`hedge.*`).
    pub select: Option<Vec<Spanned<String>>>,
    /// Drop rules matching these ids or prefixes.
    pub ignore: Option<Vec<Spanned<String>>>,
    /// Changes to rules defined in an earlier layer.
    #[serde(default, rename = "override")]
    pub overrides: Vec<OverrideSpec>,
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
    pub attribution: Option<AttributionSpec>,
    pub claims: Option<ClaimSpec>,
    pub scoring: Option<ScoringSpec>,
}

/// The engine feature a rule uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// Terms found anywhere in a sentence (hedge cues).
    Lexicon,
    /// A check-worthy claim in the author's voice with no attribution.
    Unsourced,
    /// A claim that rests only on sources of one kind (anonymous, vague).
    SourceKind,
    /// The same counted thing reported with incompatible values.
    QuantityConflict,
    /// One name spelled two ways in one article.
    NameVariant,
    /// A figure checked against the newsroom's reference facts (`--facts`).
    Reference,
    /// A claim that rests on an outlet or organisation rated low (the bundled ratings or `--ratings`).
    CitedSource,
    /// An article that gives fewer checkable specifics (days, named
    /// people speaking) than a news report is expected to.
    Specifics,
    /// A headline that runs longer, or capitalises more words, than news
    /// headlines do.
    Headline,
}

impl RuleKind {
    /// True for kinds whose one finding judges the whole article (its lead
    /// stands for it): neither scaled by the claim count nor discounted.
    pub fn is_article_level(self) -> bool {
        matches!(self, RuleKind::Specifics | RuleKind::Headline)
    }
}

/// What a `headline` rule counts in the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// Words (letters or digits between spaces).
    Words,
    /// Words that begin with a capital letter, all-caps words included.
    CapitalisedWords,
}

/// A checkable specific that a `specifics` rule counts, once per sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Marker {
    /// The sentence names a day: "March 3", "on Tuesday", "3 May 2017".
    Dates,
    /// The sentence reports what a named person said ("Mayor Lena Ortiz
    /// said"); an attitude ("Ortiz wants") is not a source speaking.
    NamedPeople,
}

/// What a reference rule reports: figures that contradict a reference
/// fact (a finding that costs points) or agree with one (a credit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Contradicts,
    Agrees,
}

/// How serious a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The name used in rule files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Whose words a lexicon rule looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Only the author's own voice: not quotations, not attributed content.
    #[default]
    Author,
    /// The author's words and reported speech, not direct quotations: for
    /// cues like "allegedly" that are the writer's choice even when the
    /// writer paraphrases a source.
    Unquoted,
    /// Every sentence, whoever speaks.
    Any,
}

/// Kinds of source an attribution can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    NamedPerson,
    NamedOrg,
    Document,
    Anonymous,
    Vague,
}

impl SourceKind {
    /// The name used in rule files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::NamedPerson => "named-person",
            SourceKind::NamedOrg => "named-org",
            SourceKind::Document => "document",
            SourceKind::Anonymous => "anonymous",
            SourceKind::Vague => "vague",
        }
    }
}

/// A worked example that `cargo test` runs against the rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExampleSpec {
    pub text: String,
    pub expect: Expect,
}

/// Whether an example should make its rule fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    Match,
    NoMatch,
}

/// A change to an existing rule, by id.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OverrideSpec {
    pub id: Spanned<String>,
    pub severity: Option<Severity>,
    pub weight: Option<f64>,
    pub message: Option<String>,
    /// lexicon, unsourced: terms to add.
    pub add_terms: Option<Vec<String>>,
    /// lexicon, unsourced: terms to remove.
    pub remove_terms: Option<Vec<String>>,
    /// lexicon: exception regexes to add.
    pub add_exceptions: Option<Vec<String>>,
    /// source-kind: sources to accept.
    pub allow_sources: Option<Vec<String>>,
    /// Examples this layer adds; they run with the others.
    #[serde(default)]
    pub add_examples: Vec<ExampleSpec>,
}

/// One rule as written. Kind-specific keys are optional here and checked by
/// the compiler against the rule's kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSpec {
    pub id: Spanned<String>,
    pub kind: RuleKind,
    pub severity: Severity,
    pub weight: f64,
    pub message: String,
    #[serde(default)]
    pub why: String,
    /// lexicon, unsourced: words and phrases (case-insensitive, whole words).
    pub terms: Option<Vec<String>>,
    /// lexicon: regexes; a term match overlapped by one of these is dropped.
    pub exceptions: Option<Vec<String>>,
    /// lexicon: whose words to look at.
    pub scope: Option<Scope>,
    /// lexicon: only count a term right before a number ("about 40").
    pub before_quantity: Option<bool>,
    /// unsourced: the claim must state a quantity.
    pub requires_quantity: Option<bool>,
    /// source-kind: the kind of source that, alone, is flagged.
    pub source_kind: Option<SourceKind>,
    /// source-kind: sources of that kind that are accepted ("officials").
    pub allow_sources: Option<Vec<String>>,
    /// quantity-conflict: relative slack before two values conflict.
    pub tolerance: Option<f64>,
    /// quantity-conflict: words before a figure that make it an update of an
    /// earlier one ("rose to", "climbed to"), never a conflicting value.
    pub updates: Option<Vec<String>>,
    /// reference: which outcome of the check this rule reports.
    pub verdict: Option<Verdict>,
    /// cited-source: a cited outlet rated below this (0-100) is flagged.
    pub max_rating: Option<f64>,
    /// specifics: what counts as a checkable specific.
    pub markers: Option<Vec<Marker>>,
    /// specifics: how many an article is expected to give.
    pub expected: Option<usize>,
    /// headline: what to count in the title.
    pub measure: Option<Measure>,
    /// headline: a title counting more than this is flagged.
    pub above: Option<usize>,
    /// headline: the count at which the finding costs the whole weight;
    /// between `above` and this it costs the share it has gone past `above`.
    pub full_at: Option<usize>,
    /// name-variant: names shorter than this many letters are not compared.
    pub min_length: Option<usize>,
    /// name-variant: two spellings at most this many edits apart are one name.
    pub max_edits: Option<usize>,
    /// quantity-conflict: predicate name to the words that express it.
    pub predicates: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
}

/// How attributions are found and their sources classified.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AttributionSpec {
    /// Reporting verbs whose subject is the source ("said", "told").
    pub verbs: Vec<String>,
    /// Cues that make any subject a source ("said", "told"). After other
    /// verbs ("reported", "found") a subject counts only when the lists
    /// below recognise it.
    pub speech_verbs: Vec<String>,
    /// Cues followed by the source ("according to").
    pub source_after: Vec<String>,
    /// Verbs that report a source's view, wish, plan or stance ("wants",
    /// "hopes", "supports"): cues whose subject must be a recognised source,
    /// reported with the sentence's attributions, but the sentence stays in
    /// the author's voice, because the author asserts the attitude.
    #[serde(default)]
    pub attitude_verbs: Vec<String>,
    /// Views without a holder ("is expected to", "seemed to"): attitude cues
    /// with no source.
    #[serde(default)]
    pub impersonal: Vec<String>,
    /// Verbs that report speech only when punctuation or a quotation follows
    /// them ("he continued: ...", "..., she went on.").
    #[serde(default)]
    pub quote_verbs: Vec<String>,
    /// Phrases that mark a source as anonymous.
    pub anonymous: Vec<String>,
    /// Unnamed officials: anonymous unless the source also names their
    /// organisation with a capitalised name.
    #[serde(default)]
    pub officials: Vec<String>,
    /// Phrases that mark a source as vague or weasel.
    pub vague: Vec<String>,
    /// Nouns that make a source a document.
    pub document: Vec<String>,
    /// Nouns that make a source an organisation.
    pub organisation: Vec<String>,
    /// Pronouns that refer back to an earlier source.
    pub pronouns: Vec<String>,
    /// Unnamed roles that identify a person ("the fire chief").
    #[serde(default)]
    pub roles: Vec<String>,
    /// Courts, judges, juries and panels: an unnamed one ("a federal
    /// judge", "an appeals court") is identified by its public ruling, so
    /// it is no anonymous source.
    #[serde(default)]
    pub public_bodies: Vec<String>,
    /// Labels before a colon at the start of a paragraph that do not name a
    /// speaker ("Update:", "Related:"); any other short capitalised label
    /// ("Sanders:", "Q:") introduces what its speaker says.
    #[serde(default)]
    pub not_speakers: Vec<String>,
    /// Set phrases built on a reporting verb that are the writer's own
    /// connectives ("That said, ...", "needless to say"): set off by
    /// punctuation, they are no cue.
    #[serde(default)]
    pub discourse_markers: Vec<String>,
    /// Verbs that also name things ("a group called Renew"): after a common
    /// noun they are no cue.
    #[serde(default)]
    pub naming_verbs: Vec<String>,
    /// Words before "to" after which a reporting verb speaks for the
    /// subject ("continued to insist", "was quick to point out").
    #[serde(default)]
    pub infinitive_openers: Vec<String>,
    /// First words of a setting that opens a sentence before its source
    /// ("In a statement, ...", "Speaking to reporters, ..."): the setting
    /// belongs to the attribution's frame, not to what was said.
    #[serde(default)]
    pub setting_openers: Vec<String>,
    /// Subordinating conjunctions: before a source ("... was booed when
    /// she said ..."), the main clause they end is the author's and part of
    /// the attribution's frame.
    #[serde(default)]
    pub subordinators: Vec<String>,
    /// Cues whose addressee and time, up to the "that" of their content,
    /// belong to the frame ("told reporters on Tuesday that ...").
    #[serde(default)]
    pub addressee_verbs: Vec<String>,
    /// Listed verbs whose passive names an act done to its subject, not
    /// speech by someone unnamed ("names were added", "access was denied",
    /// "the seat was decided"): no cue at all.
    #[serde(default)]
    pub passive_not_cues: Vec<String>,
    /// Nouns that make "in" before them a cue whose source is the phrase
    /// they end ("In a Register poll last month, Cruz led by 10 points").
    #[serde(default)]
    pub in_sources: Vec<String>,
    /// Phrases in which a cue word names a thing or an act, not speech
    /// ("a think tank", "pledged delegates", "adding to his lead"): a cue
    /// inside one is no cue.
    #[serde(default)]
    pub not_cues: Vec<String>,
}

/// Which sentences are claims: check-worthiness signals and the threshold.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClaimSpec {
    pub threshold: f64,
    /// Weight of a count, amount, percentage or sum of money.
    pub quantity: f64,
    /// Weight of an attribution (halved for direct quotation): what someone
    /// is reported to have said is a claim worth tracking.
    pub attributed: f64,
    /// Weight of a small number written as a word ("two men").
    pub small_quantity: f64,
    /// Weight of one of `terms`.
    pub term: f64,
    /// Words that make a sentence worth checking (killed, arrested, record).
    pub terms: Vec<String>,
    /// Weight of a capitalised name after the first word.
    pub named_entity: f64,
    /// Sentences shorter than this many words are not claims.
    pub min_words: usize,
    /// Sentences after one attributed to a document (a poll, study or
    /// report) that read as that document's findings: their figures are
    /// not unsourced. 0 turns this off.
    #[serde(default)]
    pub document_context: usize,
    /// Words that keep a document in focus when a later sentence names it
    /// or its method ("respondents", "margin of error", "the survey"); an
    /// attributed sentence keeps it in focus too.
    #[serde(default)]
    pub document_terms: Vec<String>,
    /// Regexes for the senses of `terms` that claim nothing ("a voting
    /// record", "at worst"): a term overlapped by a match, or by its `cue`
    /// group, does not make its sentence a claim.
    #[serde(default)]
    pub exceptions: Vec<String>,
}

/// How findings become scores.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScoringSpec {
    /// Finding category (first part of a rule id) to the component it lowers.
    pub categories: BTreeMap<String, String>,
    /// Deductions are scaled by `min(1, reference-claims / claims)`.
    pub reference_claims: f64,
    /// Pseudo-articles of prior weight when scoring a source.
    pub source_prior_weight: f64,
    /// Each further finding of one rule in one article costs this share of
    /// the one before: 1 counts every instance in full, 0.5 makes the
    /// second cost half, the third a quarter, so a habit costs at most
    /// twice its weight.
    #[serde(default = "one")]
    pub repeat_discount: f64,
    /// The prior of an outlet the ratings do not rate: the
    /// rating at this quantile of the ratings (0..=1); the mean rating when
    /// unset.
    #[serde(default)]
    pub unrated_prior_quantile: Option<f64>,
    /// With ratings, an article's credibility weighs its outlet's
    /// prior as this many claims of its own text; `reference-claims` when
    /// unset.
    #[serde(default)]
    pub article_prior_claims: Option<f64>,
}

impl ScoringSpec {
    /// Claims' worth of evidence the outlet prior counts for in an
    /// article's credibility.
    pub fn article_prior_claims(&self) -> f64 {
        self.article_prior_claims.unwrap_or(self.reference_claims)
    }
}

fn one() -> f64 {
    1.0
}
