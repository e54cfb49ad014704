//! Rules as data: load TOML rule files, layer them, compile them once.
//!
//! The built-in pack in `rules/default/` is embedded in the binary. A pack
//! given with `--rules` either stands alone or says `extends = "default"` and
//! is layered on top (same id replaces, new ids add, settings sections
//! replace). Compiling checks every rule against its kind, compiles regexes
//! with size limits, and builds one automaton for every term of every rule so
//! that an article is scanned once. Errors name the file, line and column.

mod automaton;
mod exception;
mod lexicon;
pub mod spec;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

pub use exception::{Exception, ExceptionFilter, MatchEnds, PossibleExceptions};
pub use lexicon::{LexMatch, Lexicon, Owner, PhraseHits, PhraseList, RuleTerms, TooManyTerms};
pub use spec::{
    AttributionSpec, ClaimSpec, ExampleSpec, Expect, Marker, Measure, RuleKind, Scope, ScoringSpec,
    Severity, SourceKind, Verdict,
};
use spec::{RuleFile, RuleSpec};

/// The built-in pack: (file name, contents), embedded at build time.
const DEFAULT_PACK: &[(&str, &str)] = &[
    (
        "hedges.toml",
        include_str!("../../rules/default/hedges.toml"),
    ),
    (
        "attribution.toml",
        include_str!("../../rules/default/attribution.toml"),
    ),
    (
        "claims.toml",
        include_str!("../../rules/default/claims.toml"),
    ),
    (
        "conflicts.toml",
        include_str!("../../rules/default/conflicts.toml"),
    ),
    (
        "verify.toml",
        include_str!("../../rules/default/verify.toml"),
    ),
    ("style.toml", include_str!("../../rules/default/style.toml")),
    (
        "scoring.toml",
        include_str!("../../rules/default/scoring.toml"),
    ),
];

/// Largest compiled size of one rule's regex; keeps a newsroom's rule from
/// eating memory (matching time is linear whatever the pattern).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// The pattern with each word boundary (`\b`, `\B`) made ASCII-only:
/// `(?-u:\b)`. A Unicode boundary stops the regex engine's fast DFA at the
/// first curly quote or dash of a sentence, and news is full of them; an
/// ASCII boundary differs only beside non-ASCII letters ("café"). Escapes
/// inside a class (`[\b]`) and escaped backslashes are left alone.
fn ascii_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(b @ ('b' | 'B')) if class_depth == 0 => {
                    out.push_str("(?-u:\\");
                    out.push(b);
                    // A special boundary (`\b{start}`, `\b{end-half}`) keeps
                    // its braces inside the group.
                    let rest = chars.as_str();
                    if rest.starts_with('{')
                        && let Some(close) = rest.find('}')
                    {
                        out.push_str(&rest[..=close]);
                        chars = rest[close + 1..].chars();
                    }
                    out.push(')');
                }
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            '[' => {
                class_depth += 1;
                out.push(c);
                // A `]` first in a class ("[]a]", "[^]a]") is a literal.
                let rest = chars.as_str();
                let literal = if rest.starts_with("^]") {
                    2
                } else {
                    usize::from(rest.starts_with(']'))
                };
                out.push_str(&rest[..literal]);
                chars = rest[literal..].chars();
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A rule file problem a maintainer can act on.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("cannot read rules {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: {message}")]
    At {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

/// What a compiled rule needs from its kind.
#[derive(Debug, Clone)]
pub enum RuleParams {
    Lexicon {
        /// A term match overlapped by a match of one of these is dropped;
        /// where a pattern has a group named `cue`, only that group must
        /// overlap ("(?P<cue>most) notably" spares the word after "most").
        exceptions: Vec<Exception>,
        scope: Scope,
        before_quantity: bool,
    },
    Unsourced {
        /// True when the rule names terms; the claim must contain one.
        has_terms: bool,
        requires_quantity: bool,
        /// A term match overlapped by a match of one of these is not the
        /// rule's term ("crime rate" is a statistic, not an accusation).
        exceptions: Vec<Exception>,
    },
    SourceKind {
        source_kind: SourceKind,
        /// Sources of that kind the newsroom accepts.
        allow: PhraseList,
    },
    NameVariant {
        min_length: usize,
        max_edits: usize,
    },
    QuantityConflict {
        tolerance: f64,
        /// (predicate name, the words that express it).
        predicates: Vec<(String, Vec<String>)>,
        /// Lowercased words that make a figure an update ("rose to").
        updates: Vec<String>,
    },
    Reference {
        verdict: Verdict,
    },
    CitedSource {
        max_rating: f64,
    },
    Specifics {
        markers: Vec<Marker>,
        /// At least 1.
        expected: usize,
    },
    Headline {
        measure: Measure,
        above: usize,
        /// More than `above`.
        full_at: usize,
    },
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable dotted id, e.g. `hedge.hearsay`.
    pub id: String,
    /// The id's first part: `hedge`, `unsourced`, `sourcing`, `conflict`.
    pub category: String,
    pub kind: RuleKind,
    pub severity: Severity,
    pub weight: f64,
    pub message: String,
    pub why: String,
    /// The file that defines it, for explanations.
    pub file: String,
    pub terms: Vec<String>,
    pub examples: Vec<ExampleSpec>,
    pub params: RuleParams,
}

/// Everything the analysis needs, compiled once per run.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub attribution: AttributionSpec,
    pub claims: ClaimSpec,
    /// `[claims] exceptions`, compiled.
    pub claim_exceptions: Vec<Exception>,
    /// Which of `claim_exceptions` can match in a sentence, in one pass
    /// (as the only rule of the filter).
    pub claim_exception_filter: ExceptionFilter,
    pub scoring: ScoringSpec,
    /// One automaton over every term of every rule and setting.
    pub lexicon: Lexicon,
    /// Which rules' exceptions can match in a sentence, in one pass.
    pub exception_filter: ExceptionFilter,
    /// Source classification word lists.
    pub speech_verbs: PhraseList,
    pub anonymous: PhraseList,
    pub officials: PhraseList,
    pub vague: PhraseList,
    pub document: PhraseList,
    pub organisation: PhraseList,
    pub pronouns: PhraseList,
    pub roles: PhraseList,
    pub public_bodies: PhraseList,
    /// Every piece of `[attribution] discourse-markers` from one char to
    /// another, ASCII lowercased: a cue that is none of them lies in no
    /// marker.
    /// Each comes with a bit for every marker it is a piece of (bit `i`
    /// for marker `i`, bit 63 for the 64th and any after it).
    pub discourse_pieces: HashMap<String, u64, BuildHasherDefault<Fnv1a>>,
    /// Longest sentence analyzed in one piece, in characters; a longer one
    /// is analyzed in pieces of this size (`--max-sentence-chars`, 0 = no
    /// limit). See [`crate::text::segment_bounded`].
    pub max_sentence_chars: usize,
    /// The newsroom's reference facts (`--facts`); empty by default.
    pub facts: crate::verify::Facts,
    /// Ratings of outlets and organisations a claim may cite (the CLI gives
    /// the bundled ratings or `--ratings`, through the outlet aliases);
    /// empty by default.
    pub cited: crate::score::sources::CitedRatings,
}

/// A parsed file before layering: where it came from and what it says.
struct LoadedFile {
    name: String,
    text: String,
    spec: RuleFile,
}

impl RuleSet {
    /// The built-in pack.
    pub fn default_pack() -> Result<RuleSet, RuleError> {
        Self::build(None, &Selection::default())
    }

    /// Loads a pack from a `.toml` file or a folder of them, following its
    /// `extends` chain.
    pub fn load(path: &Path) -> Result<RuleSet, RuleError> {
        Self::build(Some(path), &Selection::default())
    }

    /// The built-in pack or the pack at `path`, then the command line's
    /// `--select` / `--ignore`: the one place where layers are merged.
    pub fn build(path: Option<&Path>, selection: &Selection) -> Result<RuleSet, RuleError> {
        let files = match path {
            None => default_files()?,
            Some(p) => load_chain(p, &mut Vec::new())?,
        };
        compile(files, selection)
    }

    /// Index of the rule with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }

    /// The score component a rule's findings lower.
    pub fn component_of(&self, rule: &Rule) -> &str {
        self.scoring
            .categories
            .get(&rule.category)
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Largest rule file read; a newsroom's pack is a few kilobytes.
const MAX_RULE_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Most terms one rule may list; the built-in rules have a few hundred.
const MAX_TERMS_PER_RULE: usize = 20_000;

/// How deep `extends` chains may go before they are taken for a mistake.
const MAX_EXTENDS_DEPTH: usize = 16;

/// Reads a file or folder and, before it, whatever it extends.
fn load_chain(path: &Path, visited: &mut Vec<PathBuf>) -> Result<Vec<LoadedFile>, RuleError> {
    let io = |source| RuleError::Io {
        path: path.to_path_buf(),
        source,
    };
    let canonical = path.canonicalize().map_err(io)?;
    if visited.contains(&canonical) {
        let chain: Vec<String> = visited.iter().map(|p| p.display().to_string()).collect();
        return Err(RuleError::File {
            file: path.display().to_string(),
            message: format!(
                "extends forms a cycle ({} -> {}); remove one of the extends",
                chain.join(" -> "),
                path.display()
            ),
        });
    }
    if visited.len() >= MAX_EXTENDS_DEPTH {
        return Err(RuleError::File {
            file: path.display().to_string(),
            message: format!("extends chain deeper than {MAX_EXTENDS_DEPTH} files; flatten it"),
        });
    }
    visited.push(canonical);
    let mut paths = Vec::new();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).map_err(io)? {
            let p = entry.map_err(io)?.path();
            if p.extension().is_some_and(|e| e == "toml") {
                paths.push(p);
            }
        }
        paths.sort();
        if paths.is_empty() {
            return Err(RuleError::File {
                file: path.display().to_string(),
                message: "no .toml rule files in this folder".into(),
            });
        }
    } else {
        paths.push(path.to_path_buf());
    }
    let mut files = Vec::new();
    for p in &paths {
        let size = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        if size > MAX_RULE_FILE_BYTES {
            return Err(RuleError::File {
                file: p.display().to_string(),
                message: format!(
                    "the file is {size} bytes, more than the {MAX_RULE_FILE_BYTES} a rule file may have; split it or trim it"
                ),
            });
        }
        let text = std::fs::read_to_string(p).map_err(|source| RuleError::Io {
            path: p.clone(),
            source,
        })?;
        files.push(parse_file(&p.display().to_string(), text)?);
    }
    let mut base: Option<Vec<LoadedFile>> = None;
    for f in &files {
        let Some(target) = &f.spec.extends else {
            continue;
        };
        if base.is_some() {
            return Err(at(
                &f.name,
                &f.text,
                target.span().start,
                "a second `extends` in one pack; keep one".into(),
            ));
        }
        let target_name = target.get_ref();
        base = Some(if target_name == "default" {
            default_files()?
        } else {
            let dir = Path::new(&f.name).parent().unwrap_or(Path::new("."));
            let next = dir.join(target_name);
            if !next.exists() {
                return Err(at(
                    &f.name,
                    &f.text,
                    target.span().start,
                    format!(
                        "extends = {target_name:?}: no such file (paths are relative to this file; \"default\" is the built-in pack)"
                    ),
                ));
            }
            load_chain(&next, visited)?
        });
    }
    let mut all = base.unwrap_or_default();
    all.extend(files);
    Ok(all)
}

/// Rule selection from the command line: applied after every file.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

/// True when a selector (`hedge.hearsay`, `hedge.*`, `hedge`) names `id`.
fn selects(selector: &str, id: &str) -> bool {
    let s = selector.trim();
    let prefix = s.trim_end_matches('*').trim_end_matches('.');
    id == s || id == prefix || id.starts_with(&format!("{prefix}."))
}

fn default_files() -> Result<Vec<LoadedFile>, RuleError> {
    DEFAULT_PACK
        .iter()
        .map(|(name, text)| parse_file(&format!("rules/default/{name}"), (*text).to_string()))
        .collect()
}

fn parse_file(name: &str, text: String) -> Result<LoadedFile, RuleError> {
    match toml::from_str::<RuleFile>(&text) {
        Ok(spec) => Ok(LoadedFile {
            name: name.to_string(),
            text,
            spec,
        }),
        Err(e) => {
            let message = e.message().to_string();
            Err(match e.span() {
                Some(span) => at(name, &text, span.start, message),
                None => RuleError::File {
                    file: name.to_string(),
                    message,
                },
            })
        }
    }
}

/// Changes one rule spec as an `[[override]]` says.
fn apply_override(spec: &mut RuleSpec, o: spec::OverrideSpec) {
    if let Some(v) = o.severity {
        spec.severity = v;
    }
    if let Some(v) = o.weight {
        spec.weight = v;
    }
    if let Some(v) = o.message {
        spec.message = v;
    }
    if let Some(add) = o.add_terms {
        spec.terms.get_or_insert_with(Vec::new).extend(add);
    }
    if let (Some(remove), Some(terms)) = (o.remove_terms, spec.terms.as_mut()) {
        terms.retain(|t| !remove.iter().any(|r| r.eq_ignore_ascii_case(t)));
    }
    if let Some(add) = o.add_exceptions {
        spec.exceptions.get_or_insert_with(Vec::new).extend(add);
    }
    if let Some(add) = o.allow_sources {
        spec.allow_sources.get_or_insert_with(Vec::new).extend(add);
    }
    spec.examples.extend(o.add_examples);
}

/// An error at a byte offset of a file, as file:line:column.
fn at(file: &str, text: &str, offset: usize, message: String) -> RuleError {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    RuleError::At {
        file: file.to_string(),
        line,
        column,
        message,
    }
}

/// Layers files in order (later ids replace earlier ones, later settings
/// replace earlier ones) and compiles the result.
fn compile(files: Vec<LoadedFile>, selection: &Selection) -> Result<RuleSet, RuleError> {
    let mut attribution = None;
    let mut claims = None;
    let mut scoring = None;
    // (file index, spec) in layer order; a later layer's id replaces.
    let mut specs: Vec<(usize, RuleSpec)> = Vec::new();
    let mut files = files;
    for (fi, file) in files.iter_mut().enumerate() {
        let mut seen = HashSet::new();
        for rule in std::mem::take(&mut file.spec.rule) {
            let id = rule.id.get_ref().clone();
            if !seen.insert(id.clone()) {
                return Err(at(
                    &file.name,
                    &file.text,
                    rule.id.span().start,
                    format!("duplicate rule id {id:?} in this file; rename or remove one"),
                ));
            }
            if let Some(pos) = specs.iter().position(|(_, s)| *s.id.get_ref() == id) {
                specs[pos] = (fi, rule);
            } else {
                specs.push((fi, rule));
            }
        }
        // This layer's overrides, then its selection, on everything so far.
        for o in std::mem::take(&mut file.spec.overrides) {
            let id = o.id.get_ref();
            let Some((_, spec)) = specs.iter_mut().find(|(_, s)| s.id.get_ref() == id) else {
                return Err(at(
                    &file.name,
                    &file.text,
                    o.id.span().start,
                    format!("override of unknown rule {id:?}; `credence rules list` shows the ids"),
                ));
            };
            apply_override(spec, o);
        }
        for (selectors, keep) in [
            (file.spec.select.take(), true),
            (file.spec.ignore.take(), false),
        ] {
            let Some(selectors) = selectors else { continue };
            for sel in &selectors {
                if !specs
                    .iter()
                    .any(|(_, s)| selects(sel.get_ref(), s.id.get_ref()))
                {
                    return Err(at(
                        &file.name,
                        &file.text,
                        sel.span().start,
                        format!(
                            "{:?} matches no rule; `credence rules list` shows the ids",
                            sel.get_ref()
                        ),
                    ));
                }
            }
            specs.retain(|(_, s)| {
                let hit = selectors
                    .iter()
                    .any(|sel| selects(sel.get_ref(), s.id.get_ref()));
                hit == keep
            });
        }
        if let Some(a) = file.spec.attribution.take() {
            attribution = Some(a);
        }
        if let Some(c) = file.spec.claims.take() {
            claims = Some((file.name.clone(), c));
        }
        if let Some(s) = file.spec.scoring.take() {
            scoring = Some(s);
        }
    }
    let pack = files
        .last()
        .map(|f| f.name.clone())
        .unwrap_or_else(|| "rules".into());
    let missing = |section: &str| RuleError::File {
        file: pack.clone(),
        message: format!(
            "the pack has no [{section}] section; add one, or write `extends = \"default\"` to build on the built-in pack"
        ),
    };
    let attribution = attribution.ok_or_else(|| missing("attribution"))?;
    let (claims_file, claims) = claims.ok_or_else(|| missing("claims"))?;
    // The attribution phrase lists need nothing else, so they are built
    // while the claim exceptions compile (on one thread, in turn).
    let (claim_exceptions, phrase_lists) = rayon::join(
        || {
            compile_exceptions(&claims.exceptions, |p, e| RuleError::File {
                file: claims_file.clone(),
                message: format!("[claims] bad exception regex {p:?}: {e}"),
            })
        },
        || {
            // The lists a source is classified by share an automaton:
            // one pass over a source finds them all.
            let [
                anonymous,
                officials,
                vague,
                document,
                organisation,
                pronouns,
                roles,
                public_bodies,
            ] = PhraseList::group([
                &attribution.anonymous,
                &attribution.officials,
                &attribution.vague,
                &attribution.document,
                &attribution.organisation,
                &attribution.pronouns,
                &attribution.roles,
                &attribution.public_bodies,
            ])?;
            Ok::<_, TooManyTerms>([
                PhraseList::new(&attribution.speech_verbs)?,
                anonymous,
                officials,
                vague,
                document,
                organisation,
                pronouns,
                roles,
                public_bodies,
            ])
        },
    );
    let too_many = |what: &str, e: TooManyTerms| RuleError::File {
        file: pack.clone(),
        message: format!("{what}: {e}"),
    };
    let phrase_lists = phrase_lists.map_err(|e| too_many("[attribution] phrase lists", e))?;
    let claim_exceptions = claim_exceptions?;
    let claim_exception_filter = ExceptionFilter::new([claim_exceptions.as_slice()]);
    let [
        speech_verbs,
        anonymous,
        officials,
        vague,
        document,
        organisation,
        pronouns,
        roles,
        public_bodies,
    ] = phrase_lists;
    let scoring = scoring.ok_or_else(|| missing("scoring"))?;
    let shares = [
        ("repeat-discount", Some(scoring.repeat_discount)),
        ("unrated-prior-quantile", scoring.unrated_prior_quantile),
    ];
    if let Some((key, value)) = shares
        .iter()
        .find_map(|(k, v)| v.filter(|x| !(0.0..=1.0).contains(x)).map(|x| (k, x)))
    {
        return Err(RuleError::File {
            file: pack.clone(),
            message: format!("[scoring] {key} = {value} must be between 0 and 1"),
        });
    }
    if let Some(k) = scoring
        .article_prior_claims
        .filter(|k| !(k.is_finite() && *k >= 0.0))
    {
        return Err(RuleError::File {
            file: pack.clone(),
            message: format!(
                "[scoring] article-prior-claims = {k} must be a number of claims, 0 or more"
            ),
        });
    }

    for (selectors, keep) in [(&selection.select, true), (&selection.ignore, false)] {
        if selectors.is_empty() {
            continue;
        }
        for sel in selectors {
            if !specs.iter().any(|(_, s)| selects(sel, s.id.get_ref())) {
                return Err(RuleError::File {
                    file: "command line".into(),
                    message: format!(
                        "{sel:?} matches no rule; `credence rules list` shows the ids"
                    ),
                });
            }
        }
        specs.retain(|(_, s)| selectors.iter().any(|sel| selects(sel, s.id.get_ref())) == keep);
    }
    // Rules compile on the rayon pool of the caller, if any: a run starts
    // analyzing only once they are built. The lexicon needs only the terms
    // as written, so it is built alongside (on one thread, after them). The
    // first failing rule, in order, is the error.
    let (compiled, lexicon) = rayon::join(
        || {
            use rayon::prelude::*;
            let rules = specs
                .par_iter()
                .map(|(fi, spec)| compile_rule(&files[*fi], spec, &scoring))
                .collect::<Vec<Result<Rule, RuleError>>>()
                .into_iter()
                .collect::<Result<Vec<_>, _>>()?;
            let exception_filter =
                ExceptionFilter::new(rules.iter().map(|rule| match &rule.params {
                    RuleParams::Lexicon { exceptions, .. }
                    | RuleParams::Unsourced { exceptions, .. } => exceptions.as_slice(),
                    _ => &[],
                }));
            Ok::<_, RuleError>((rules, exception_filter))
        },
        || {
            Lexicon::build(
                specs.iter().map(|(_, spec)| RuleTerms::of(spec)),
                &attribution,
                &claims,
            )
        },
    );
    let lexicon = lexicon.map_err(|e| too_many("the lexicon of every rule's terms", e))?;
    let (rules, exception_filter) = compiled?;
    let discourse_pieces = pieces(&attribution.discourse_markers);
    Ok(RuleSet {
        discourse_pieces,
        exception_filter,
        speech_verbs,
        anonymous,
        officials,
        vague,
        document,
        organisation,
        pronouns,
        roles,
        public_bodies,
        rules,
        attribution,
        claims,
        claim_exceptions,
        claim_exception_filter,
        scoring,
        lexicon,
        max_sentence_chars: crate::text::DEFAULT_MAX_SENTENCE_CHARS,
        facts: crate::verify::Facts::default(),
        cited: Default::default(),
    })
}

fn compile_rule(
    file: &LoadedFile,
    spec: &RuleSpec,
    scoring: &ScoringSpec,
) -> Result<Rule, RuleError> {
    let err = |message: String| at(&file.name, &file.text, spec.id.span().start, message);
    let id = spec.id.get_ref().clone();
    let valid_id = id.split('.').count() >= 2
        && id.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
    if !valid_id {
        return Err(err(format!(
            "rule id {id:?} must be dotted lowercase words, like \"hedge.hearsay\""
        )));
    }
    let category = id.split('.').next().unwrap_or_default().to_string();
    if !scoring.categories.contains_key(&category) {
        return Err(err(format!(
            "rule {id}: category {category:?} has no score component; add `{category} = \"COMPONENT\"` to [scoring.categories]"
        )));
    }
    if !(spec.weight.is_finite() && spec.weight >= 0.0) {
        return Err(err(format!("rule {id}: weight must be a number >= 0")));
    }
    let kind_name = serde_plain_kind(spec.kind);
    let not_for = |key: &str| {
        err(format!(
            "rule {id}: key `{key}` does not apply to kind \"{kind_name}\"; remove it"
        ))
    };
    let terms = spec.terms.clone().unwrap_or_default();
    if terms.len() > MAX_TERMS_PER_RULE {
        return Err(err(format!(
            "rule {id}: {} terms, more than the {MAX_TERMS_PER_RULE} one rule may list; split the rule",
            terms.len()
        )));
    }
    // Each kind-specific key, and the kinds it belongs to.
    let keys: [(&str, bool, &[RuleKind]); 19] = [
        (
            "terms",
            spec.terms.is_some(),
            &[RuleKind::Lexicon, RuleKind::Unsourced],
        ),
        (
            "exceptions",
            spec.exceptions.is_some(),
            &[RuleKind::Lexicon, RuleKind::Unsourced],
        ),
        ("scope", spec.scope.is_some(), &[RuleKind::Lexicon]),
        (
            "before-quantity",
            spec.before_quantity.is_some(),
            &[RuleKind::Lexicon],
        ),
        (
            "requires-quantity",
            spec.requires_quantity.is_some(),
            &[RuleKind::Unsourced],
        ),
        (
            "source-kind",
            spec.source_kind.is_some(),
            &[RuleKind::SourceKind],
        ),
        (
            "allow-sources",
            spec.allow_sources.is_some(),
            &[RuleKind::SourceKind],
        ),
        (
            "tolerance",
            spec.tolerance.is_some(),
            &[RuleKind::QuantityConflict],
        ),
        (
            "updates",
            spec.updates.is_some(),
            &[RuleKind::QuantityConflict],
        ),
        ("verdict", spec.verdict.is_some(), &[RuleKind::Reference]),
        (
            "max-rating",
            spec.max_rating.is_some(),
            &[RuleKind::CitedSource],
        ),
        (
            "predicates",
            spec.predicates.is_some(),
            &[RuleKind::QuantityConflict],
        ),
        (
            "min-length",
            spec.min_length.is_some(),
            &[RuleKind::NameVariant],
        ),
        (
            "max-edits",
            spec.max_edits.is_some(),
            &[RuleKind::NameVariant],
        ),
        ("markers", spec.markers.is_some(), &[RuleKind::Specifics]),
        ("expected", spec.expected.is_some(), &[RuleKind::Specifics]),
        ("measure", spec.measure.is_some(), &[RuleKind::Headline]),
        ("above", spec.above.is_some(), &[RuleKind::Headline]),
        ("full-at", spec.full_at.is_some(), &[RuleKind::Headline]),
    ];
    if let Some((key, _, _)) = keys
        .iter()
        .find(|(_, set, kinds)| *set && !kinds.contains(&spec.kind))
    {
        return Err(not_for(key));
    }
    let exceptions = || {
        compile_exceptions(spec.exceptions.as_deref().unwrap_or_default(), |p, e| {
            err(format!("rule {id}: bad exception regex {p:?}: {e}"))
        })
    };
    let params = match spec.kind {
        RuleKind::Lexicon => {
            if terms.is_empty() {
                return Err(err(format!("rule {id}: a lexicon rule needs `terms`")));
            }
            RuleParams::Lexicon {
                exceptions: exceptions()?,
                scope: spec.scope.unwrap_or_default(),
                before_quantity: spec.before_quantity.unwrap_or(false),
            }
        }
        RuleKind::Unsourced => RuleParams::Unsourced {
            has_terms: !terms.is_empty(),
            requires_quantity: spec.requires_quantity.unwrap_or(false),
            exceptions: exceptions()?,
        },
        RuleKind::SourceKind => {
            let source_kind = spec
                .source_kind
                .ok_or_else(|| err(format!("rule {id}: a source-kind rule needs `source-kind`")))?;
            RuleParams::SourceKind {
                source_kind,
                allow: PhraseList::new(spec.allow_sources.as_deref().unwrap_or_default())
                    .map_err(|e| err(format!("rule {id}: allow-sources: {e}")))?,
            }
        }
        RuleKind::NameVariant => RuleParams::NameVariant {
            min_length: spec.min_length.unwrap_or(8),
            max_edits: spec.max_edits.unwrap_or(2).max(1),
        },
        RuleKind::CitedSource => {
            let max_rating = spec.max_rating.ok_or_else(|| {
                err(format!(
                    "rule {id}: a cited-source rule needs `max-rating` (0-100)"
                ))
            })?;
            if !(0.0..=100.0).contains(&max_rating) {
                return Err(err(format!(
                    "rule {id}: max-rating must be between 0 and 100"
                )));
            }
            RuleParams::CitedSource { max_rating }
        }
        RuleKind::Specifics => {
            let markers = spec.markers.clone().unwrap_or_default();
            if markers.is_empty() {
                return Err(err(format!(
                    "rule {id}: a specifics rule needs `markers` (\"dates\", \"named-people\")"
                )));
            }
            let expected = match spec.expected {
                Some(n) if n >= 1 => n,
                _ => {
                    return Err(err(format!(
                        "rule {id}: a specifics rule needs `expected`, a count of at least 1"
                    )));
                }
            };
            RuleParams::Specifics { markers, expected }
        }
        RuleKind::Headline => {
            let measure = spec.measure.ok_or_else(|| {
                err(format!(
                    "rule {id}: a headline rule needs `measure` (\"words\", \"capitalised-words\")"
                ))
            })?;
            let above = spec
                .above
                .ok_or_else(|| err(format!("rule {id}: a headline rule needs `above`, a count")))?;
            let full_at = spec.full_at.unwrap_or(above + 1);
            if full_at <= above {
                return Err(err(format!(
                    "rule {id}: full-at ({full_at}) must be more than above ({above})"
                )));
            }
            RuleParams::Headline {
                measure,
                above,
                full_at,
            }
        }
        RuleKind::Reference => {
            let verdict = spec.verdict.ok_or_else(|| {
                err(format!(
                    "rule {id}: a reference rule needs `verdict` (\"contradicts\" or \"agrees\")"
                ))
            })?;
            RuleParams::Reference { verdict }
        }
        RuleKind::QuantityConflict => {
            let tolerance = spec.tolerance.unwrap_or(0.1);
            if !(0.0..=10.0).contains(&tolerance) {
                return Err(err(format!(
                    "rule {id}: tolerance must be between 0 and 10"
                )));
            }
            let predicates: BTreeMap<String, Vec<String>> =
                spec.predicates.clone().unwrap_or_default();
            if predicates.is_empty() {
                return Err(err(format!(
                    "rule {id}: a quantity-conflict rule needs `predicates`"
                )));
            }
            RuleParams::QuantityConflict {
                tolerance,
                predicates: predicates.into_iter().collect(),
                updates: spec
                    .updates
                    .iter()
                    .flatten()
                    .map(|w| {
                        w.split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                            .to_lowercase()
                    })
                    .filter(|w| !w.is_empty())
                    .collect(),
            }
        }
    };
    Ok(Rule {
        id,
        category,
        kind: spec.kind,
        severity: spec.severity,
        weight: spec.weight,
        message: spec.message.clone(),
        why: spec.why.clone(),
        file: file.name.clone(),
        terms,
        examples: spec.examples.clone(),
        params,
    })
}

impl Rule {
    /// True for a rule whose findings give points back instead of taking
    /// them (`verdict = "agrees"`).
    pub fn is_credit(&self) -> bool {
        matches!(
            self.params,
            RuleParams::Reference {
                verdict: Verdict::Agrees
            }
        )
    }
}

/// Compiles exception patterns, on the caller's rayon pool: one rule's
/// exceptions can take a good share of the start-up. The first bad
/// pattern, in order, gives the error, made by `error`.
fn compile_exceptions(
    patterns: &[String],
    error: impl Fn(&str, regex::Error) -> RuleError + Sync,
) -> Result<Vec<Exception>, RuleError> {
    use rayon::prelude::*;
    patterns
        .par_iter()
        .map(|p| {
            Exception::new(&format!("(?i){}", ascii_boundaries(p)), REGEX_SIZE_LIMIT)
                .map_err(|e| error(p, e))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// The FNV-1a hash (Fowler, Noll and Vo): a few instructions a byte for
/// the short keys of a set looked up for every cue, where the default
/// hasher's resistance to chosen keys buys nothing (the keys come from the
/// rule pack).
#[derive(Debug)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Every piece of `phrases` that starts and ends between chars, ASCII
/// lowercased.
fn pieces(phrases: &[String]) -> HashMap<String, u64, BuildHasherDefault<Fnv1a>> {
    let mut out: HashMap<String, u64, _> = HashMap::default();
    for (i, phrase) in phrases.iter().enumerate() {
        let bit = 1 << i.min(63);
        let phrase = phrase.to_ascii_lowercase();
        for (start, _) in phrase.char_indices() {
            let rest = &phrase[start..];
            for (len, c) in rest.char_indices() {
                *out.entry(rest[..len + c.len_utf8()].to_string())
                    .or_insert(0) |= bit;
            }
        }
    }
    out
}

fn serde_plain_kind(kind: RuleKind) -> &'static str {
    match kind {
        RuleKind::Lexicon => "lexicon",
        RuleKind::Unsourced => "unsourced",
        RuleKind::SourceKind => "source-kind",
        RuleKind::QuantityConflict => "quantity-conflict",
        RuleKind::NameVariant => "name-variant",
        RuleKind::Reference => "reference",
        RuleKind::CitedSource => "cited-source",
        RuleKind::Specifics => "specifics",
        RuleKind::Headline => "headline",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` into a temp folder and loads the first one.
    fn load(files: &[(&str, &str)]) -> Result<RuleSet, RuleError> {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        RuleSet::load(&dir.path().join(files[0].0))
    }

    fn error(files: &[(&str, &str)]) -> String {
        match load(files) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    const LEXICON: &str = "[[rule]]\nid = \"house.x\"\nkind = \"lexicon\"\nseverity = \"info\"\nweight = 1.0\nmessage = \"m\"\nterms = [\"x\"]\n";

    #[test]
    fn exception_boundaries_are_ascii_outside_classes() {
        assert_eq!(ascii_boundaries(r"\bcould\b"), r"(?-u:\b)could(?-u:\b)");
        assert_eq!(ascii_boundaries(r"\Bly"), r"(?-u:\B)ly");
        // Escaped backslashes, classes and other escapes stay as written.
        assert_eq!(
            ascii_boundaries(r"a\\b [\b] []\b] \d\s"),
            r"a\\b [\b] []\b] \d\s"
        );
        assert_eq!(ascii_boundaries(r"[^]x]\b"), r"[^]x](?-u:\b)");
        // Next to a curly quote a boundary still holds: the word is ASCII.
        let re = regex::Regex::new(&ascii_boundaries(r"(?i)\bmay\b")).unwrap();
        assert!(re.is_match("\u{201c}May\u{201d}"));
        assert!(!re.is_match("dismayed"));
        // Special boundaries keep their braces, and still compile.
        for special in ["start", "end", "start-half", "end-half"] {
            let pattern = ascii_boundaries(&format!(r"\b{{{special}}}maybe not"));
            assert_eq!(pattern, format!(r"(?-u:\b{{{special}}})maybe not"));
            regex::Regex::new(&pattern).expect("a special boundary compiles");
        }
    }

    #[test]
    fn specifics_rules_and_scoring_shares_are_checked() {
        let e = error(&[(
            "p.toml",
            "extends = \"default\"\n\n[[rule]]\nid = \"style.thin\"\nkind = \"specifics\"\nseverity = \"info\"\nweight = 5.0\nmessage = \"m\"\nmarkers = [\"dates\"]\n",
        )]);
        assert!(e.contains("style.thin") && e.contains("`expected`"), "{e}");
        let e = error(&[(
            "p.toml",
            "extends = \"default\"\n[scoring]\nreference-claims = 8.0\nsource-prior-weight = 5.0\nrepeat-discount = 2.0\n[scoring.categories]\nunsourced = \"sourcing\"\nsourcing = \"sourcing\"\nhedge = \"certainty\"\nconflict = \"consistency\"\nverify = \"verification\"\nstyle = \"style\"\n",
        )]);
        assert!(
            e.contains("repeat-discount = 2") && e.contains("between 0 and 1"),
            "{e}"
        );
        let e = error(&[(
            "p.toml",
            "extends = \"default\"\n[scoring]\nreference-claims = 8.0\nsource-prior-weight = 5.0\narticle-prior-claims = -1.0\n[scoring.categories]\nunsourced = \"sourcing\"\nsourcing = \"sourcing\"\nhedge = \"certainty\"\nconflict = \"consistency\"\nverify = \"verification\"\nstyle = \"style\"\n",
        )]);
        assert!(
            e.contains("p.toml") && e.contains("article-prior-claims = -1"),
            "{e}"
        );
    }

    #[test]
    fn headline_rules_need_a_measure_and_a_full_at_past_the_limit() {
        let rule = |extra: &str| {
            format!(
                "extends = \"default\"\n\n[[rule]]\nid = \"house.headline\"\nkind = \"headline\"\nseverity = \"info\"\nweight = 5.0\nmessage = \"m\"\n{extra}"
            )
        };
        let e = error(&[("p.toml", &rule("above = 8\n"))]);
        assert!(
            e.contains("house.headline") && e.contains("`measure`"),
            "{e}"
        );
        let e = error(&[(
            "p.toml",
            &rule("measure = \"words\"\nabove = 8\nfull-at = 8\n"),
        )]);
        assert!(e.contains("full-at (8) must be more than above (8)"), "{e}");
        let e = error(&[("p.toml", &rule("measure = \"letters\"\nabove = 8\n"))]);
        assert!(e.contains("p.toml:") && e.contains("letters"), "{e}");
        let e = error(&[(
            "p.toml",
            "extends = \"default\"\n\n[[rule]]\nid = \"house.x\"\nkind = \"lexicon\"\nseverity = \"info\"\nweight = 1.0\nmessage = \"m\"\nterms = [\"x\"]\nabove = 3\n",
        )]);
        assert!(e.contains("above"), "{e}");
    }

    #[test]
    fn the_default_pack_and_a_layered_profile_compile() {
        let base = RuleSet::default_pack().expect("default");
        let layered =
            load(&[("p.toml", &format!("extends = \"default\"\n{LEXICON}"))]).expect("profile");
        assert_eq!(layered.rules.len(), base.rules.len() + 1);
    }

    #[test]
    fn unknown_keys_name_file_line_and_column() {
        let e = error(&[(
            "p.toml",
            "extends = \"default\"\n\n[[rule]]\nid = \"house.x\"\nkinds = \"lexicon\"\n",
        )]);
        assert!(e.contains("p.toml:5:1"), "{e}");
        assert!(e.contains("kinds"), "{e}");
    }

    #[test]
    fn wrong_types_and_bad_regexes_are_errors() {
        let e = error(&[(
            "p.toml",
            &format!(
                "extends = \"default\"\n{}",
                LEXICON.replace("weight = 1.0", "weight = \"heavy\"")
            ),
        )]);
        assert!(e.contains("p.toml:6:"), "{e}");
        let e = error(&[(
            "p.toml",
            &format!("extends = \"default\"\n{LEXICON}exceptions = ['(unclosed']\n"),
        )]);
        assert!(
            e.contains("bad exception regex") && e.contains("p.toml:3:"),
            "{e}"
        );
        let e = error(&[(
            "p.toml",
            "extends = \"default\"\n[claims]\nthreshold = 0.5\nquantity = 0.6\n\
             attributed = 0.5\nsmall-quantity = 0.25\nterm = 0.5\nterms = [\"record\"]\n\
             named-entity = 0.15\nmin-words = 5\nexceptions = ['(unclosed']\n",
        )]);
        assert!(
            e.contains("p.toml") && e.contains("[claims] bad exception regex"),
            "{e}"
        );
    }

    #[test]
    fn keys_of_another_kind_are_errors() {
        let e = error(&[(
            "p.toml",
            &format!("extends = \"default\"\n{LEXICON}source-kind = \"vague\"\n"),
        )]);
        assert!(
            e.contains("`source-kind` does not apply to kind \"lexicon\""),
            "{e}"
        );
    }

    #[test]
    fn unknown_ids_in_select_ignore_and_override_are_errors() {
        let e = error(&[(
            "p.toml",
            "extends = \"default\"\nignore = [\"hedge.hersay\"]\n",
        )]);
        assert!(
            e.contains("p.toml:2:11") && e.contains("hedge.hersay"),
            "{e}"
        );
        let e = error(&[(
            "p.toml",
            "extends = \"default\"\n[[override]]\nid = \"nope.rule\"\nweight = 1.0\n",
        )]);
        assert!(e.contains("unknown rule \"nope.rule\""), "{e}");
    }

    #[test]
    fn duplicate_ids_in_one_file_are_errors() {
        let e = error(&[(
            "p.toml",
            &format!("extends = \"default\"\n{LEXICON}{LEXICON}"),
        )]);
        assert!(
            e.contains("duplicate rule id \"house.x\"") && e.contains("p.toml:10:"),
            "{e}"
        );
    }

    #[test]
    fn deep_extends_chains_are_errors() {
        let mut files: Vec<(String, String)> = (0..20)
            .map(|i| {
                (
                    format!("p{i}.toml"),
                    format!("extends = \"p{}.toml\"\n", i + 1),
                )
            })
            .collect();
        files.push(("p20.toml".into(), "extends = \"default\"\n".into()));
        let borrowed: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let e = error(&borrowed);
        assert!(e.contains("deeper than 16"), "{e}");
        // A chain within the limit loads.
        assert!(load(&borrowed[15..]).is_ok());
    }

    #[test]
    fn extends_cycles_are_errors() {
        let e = error(&[
            ("a.toml", "extends = \"b.toml\"\n"),
            ("b.toml", "extends = \"a.toml\"\n"),
        ]);
        assert!(e.contains("cycle"), "{e}");
    }

    #[test]
    fn selection_by_prefix() {
        let only = RuleSet::build(
            None,
            &Selection {
                select: vec!["hedge.*".into()],
                ignore: vec!["hedge.modal".into()],
            },
        )
        .expect("selection");
        assert!(
            only.rules
                .iter()
                .all(|r| r.category == "hedge" && r.id != "hedge.modal")
        );
        assert!(
            RuleSet::build(
                None,
                &Selection {
                    select: vec!["nothing.*".into()],
                    ignore: vec![]
                }
            )
            .is_err()
        );
    }

    #[test]
    fn overrides_change_weight_terms_and_examples() {
        let set = load(&[(
            "p.toml",
            "extends = \"default\"\n[[override]]\nid = \"hedge.hearsay\"\nweight = 20.0\nadd-terms = [\"sources say\"]\nadd-examples = [{ text = \"The mayor will resign, sources say.\", expect = \"match\" }]\n",
        )])
        .expect("profile");
        let rule = &set.rules[set.index_of("hedge.hearsay").expect("rule")];
        assert_eq!(rule.weight, 20.0);
        assert!(rule.terms.iter().any(|t| t == "sources say"));
        assert!(rule.examples.iter().any(|e| e.text.contains("sources say")));
    }

    #[test]
    fn a_term_written_with_capitals_matches_in_any_case() {
        let rules = load(&[(
            "p.toml",
            "extends = \"default\"\n\n[[rule]]\nid = \"style.agency\"\nkind = \"lexicon\"\nseverity = \"info\"\nweight = 1.0\nmessage = \"m\"\nterms = [\"Harbour BOARD\", \"Ferry's Log\"]\n",
        )])
        .expect("the pack compiles");
        let ri = rules
            .rules
            .iter()
            .position(|r| r.id == "style.agency")
            .expect("the rule is in the set");
        let found = |text: &str| -> Vec<String> {
            rules
                .lexicon
                .scan(text)
                .iter()
                .filter(|m| rules.lexicon.owners(m.pattern).contains(&Owner::Rule(ri)))
                .map(|m| text[m.span.start..m.span.end].to_string())
                .collect()
        };
        assert_eq!(
            found("The harbour board met.\nThe HARBOUR\nBOARD left."),
            ["harbour board", "HARBOUR\nBOARD"]
        );
        assert_eq!(
            found("In the ferry\u{2019}s log: ..."),
            ["ferry\u{2019}s log"]
        );
        assert!(found("The harbour boardwalk.").is_empty());
    }

    #[test]
    fn grouped_phrase_lists_find_what_each_list_finds() {
        let lists: [Vec<String>; 3] = [
            vec!["senior official".into(), "official".into()],
            vec!["officials".into(), "aide".into()],
            vec![],
        ];
        let [a, b, c] = PhraseList::group([&lists[0], &lists[1], &lists[2]]).expect("small");
        for text in [
            "a senior official said",
            "OFFICIALS said",
            "an aide's note",
            "unofficially, nobody",
            "the aides",
            "",
        ] {
            let hits = a.lists_in(text);
            for (grouped, list) in [(&a, &lists[0]), (&b, &lists[1]), (&c, &lists[2])] {
                let alone = PhraseList::new(list).expect("small");
                assert_eq!(grouped.contains(text), alone.contains(text), "{text:?}");
                assert_eq!(grouped.is_in(hits), alone.contains(text), "{text:?}");
            }
        }
    }
}
