//! Who a source is: outlet names folded to one identity, bylines split into
//! authors, and outlet ratings used as priors.
//!
//! The files these read (`--source-map`, `--ratings`) are loaded once at the
//! edge; the functions here only look names up.

use std::collections::HashMap;
use std::path::Path;

/// Credits that name an agency or a desk, not a person: not an author.
const NOT_AUTHORS: &[&str] = &[
    "staff",
    "staff writer",
    "staff writers",
    "staff report",
    "staff reports",
    "news desk",
    "editorial board",
    "the editorial board",
    "wire reports",
    "wire services",
    "reuters",
    "associated press",
    "the associated press",
    "ap",
    "afp",
    "agence france-presse",
    "upi",
    "bloomberg",
    "news service",
    "newsroom",
    "web desk",
    "digital staff",
];

/// The people a byline names: "By Ana Ruiz and Tom Beck, Reuters" is Ana
/// Ruiz and Tom Beck. Agency and desk credits are dropped.
pub fn authors(byline: &str) -> Vec<String> {
    let b = byline.trim();
    let b = ["By ", "by ", "BY "]
        .iter()
        .find_map(|p| b.strip_prefix(p))
        .unwrap_or(b);
    let mut out: Vec<String> = Vec::new();
    for part in b.split([',', ';', '&', '|']).flat_map(|p| p.split(" and ")) {
        let name = part.split_whitespace().collect::<Vec<_>>().join(" ");
        let lower = name.to_lowercase();
        let credit = NOT_AUTHORS.contains(&lower.as_str())
            || lower.ends_with(" staff")
            || lower.ends_with(" desk")
            || lower.contains("correspondent");
        if name.is_empty() || credit || !name.chars().any(char::is_alphabetic) {
            continue;
        }
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// A problem with a source map or ratings file.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SourceFileError {
    pub path: String,
    pub message: String,
}

/// The `(key, value)` rows of a two-column lookup file at `path`.
fn read_pairs(
    path: &Path,
    value_columns: &[&str],
) -> Result<Vec<(String, String)>, SourceFileError> {
    let file = std::fs::File::open(path).map_err(|e| SourceFileError {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    parse_pairs(file, &path.display().to_string(), value_columns)
}

/// The `(key, value)` rows of a lookup CSV called `name` in errors: the key
/// column is `domain` (or `alias`, `source`, `outlet`), the value column
/// the first of `value_columns` the header names. Lines starting with `#`
/// are comments.
fn parse_pairs(
    input: impl std::io::Read,
    name: &str,
    value_columns: &[&str],
) -> Result<Vec<(String, String)>, SourceFileError> {
    let err = |message: String| SourceFileError {
        path: name.to_string(),
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(input);
    let headers = reader.headers().map_err(|e| err(e.to_string()))?.clone();
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let key = find(&["domain", "alias", "source", "outlet"]).ok_or_else(|| {
        err("no `domain` (or `alias`/`source`) column; the first row must name the columns".into())
    })?;
    let value = find(value_columns).ok_or_else(|| {
        err(format!(
            "no value column; expected one of {}",
            value_columns.join(", ")
        ))
    })?;
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| err(format!("row {}: {e}", i + 1)))?;
        let k = record.get(key).unwrap_or_default().trim().to_lowercase();
        let v = record.get(value).unwrap_or_default().trim().to_string();
        if !k.is_empty() && !v.is_empty() {
            out.push((k, v));
        }
    }
    Ok(out)
}

/// Folds an outlet name to the outlet's identity: a URL or host becomes
/// its registered domain ([`crate::input::domain_of`]); names are compared
/// without case.
pub fn fold_outlet(name: &str) -> String {
    fold_with(name, crate::input::domain_of)
}

/// Folds a ratings file's row key: a URL or host loses its scheme and
/// `www.`, `m.`, `amp.` but keeps its other subdomains, so that rows for
/// `sky.com` and `news.sky.com` stay two rows.
fn fold_rated(name: &str) -> String {
    fold_with(name, crate::input::host_of)
}

fn fold_with(name: &str, host: impl Fn(&str) -> Option<String>) -> String {
    let n = name.trim();
    if n.contains('.')
        && !n.contains(' ')
        && let Some(d) = host(n)
    {
        return d;
    }
    n.to_lowercase()
}

/// Outlet aliases: `politi.co` is `politico.com`.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    aliases: HashMap<String, String>,
}

impl SourceMap {
    /// Reads a CSV with columns `alias,canonical`.
    pub fn load(path: &Path) -> Result<SourceMap, SourceFileError> {
        Ok(SourceMap::from_pairs(read_pairs(path, ALIAS_COLUMNS)?))
    }

    /// The aliases that ship with credence (`datasets/outlet-aliases.csv`,
    /// built into the binary): publishers' names to their domains, so that
    /// "The Washington Post" as a record's source or a claim's source is
    /// washingtonpost.com.
    pub fn bundled() -> SourceMap {
        // The file is ours and a test reads it: it cannot fail here.
        parse_pairs(
            BUNDLED_ALIASES.as_bytes(),
            "datasets/outlet-aliases.csv",
            ALIAS_COLUMNS,
        )
        .map(SourceMap::from_pairs)
        .unwrap_or_default()
    }

    fn from_pairs(pairs: Vec<(String, String)>) -> SourceMap {
        SourceMap {
            aliases: pairs
                .into_iter()
                .map(|(k, v)| (fold_outlet(&k), fold_outlet(&v)))
                .collect(),
        }
    }

    /// These aliases with `other`'s added; where both name an alias,
    /// `other`'s canonical name wins.
    pub fn extended(mut self, other: SourceMap) -> SourceMap {
        self.aliases.extend(other.aliases);
        self
    }

    /// Aliases known.
    pub fn len(&self) -> usize {
        self.aliases.len()
    }

    /// True when no alias is known.
    pub fn is_empty(&self) -> bool {
        self.aliases.is_empty()
    }

    /// The one name of an outlet.
    pub fn canonical(&self, outlet: &str) -> String {
        let folded = fold_outlet(outlet);
        self.aliases.get(&folded).cloned().unwrap_or(folded)
    }
}

/// Last words of a news outlet's name: only such a name is guessed to be
/// its words run together with `.com`. An organisation's own site ("the
/// GOP", gop.com) is not an outlet and must not be rated as one.
const OUTLET_WORDS: &[&str] = &[
    "post",
    "times",
    "news",
    "journal",
    "herald",
    "tribune",
    "daily",
    "gazette",
    "telegraph",
    "guardian",
    "reporter",
    "wire",
    "review",
    "chronicle",
    "observer",
    "mail",
    "express",
    "star",
    "examiner",
    "inquirer",
    "beacon",
    "blaze",
    "dispatch",
    "bulletin",
    "press",
    "today",
    "magazine",
    "insider",
    "register",
    "standard",
    "independent",
    "monitor",
    "caller",
    "beast",
    "sentinel",
    "courier",
    "ledger",
    "pulse",
    "globe",
    "mirror",
    "digest",
    "network",
];

/// Ratings of the outlets an article cites ("..., reported The Washington
/// Post"): a source name is looked up through the source map, then as a
/// domain, then, for a name ending in an outlet word (Post, Times, News,
/// Daily...), as its words run together with `.com` ("The Washington Post"
/// is washingtonpost.com).
#[derive(Debug, Clone, Default)]
pub struct CitedRatings {
    map: SourceMap,
    ratings: Ratings,
    /// The prior of an outlet the ratings do not rate.
    unrated: f64,
}

impl CitedRatings {
    /// `unrated_quantile` places an unrated outlet's prior among the
    /// ratings, as `unrated-prior-quantile` in the scoring rules does.
    pub fn new(map: SourceMap, ratings: Ratings, unrated_quantile: Option<f64>) -> CitedRatings {
        let unrated = ratings.unrated_prior(unrated_quantile);
        CitedRatings {
            map,
            ratings,
            unrated,
        }
    }

    /// The prior of an article's outlet (its source, before aliases): the
    /// outlet's rating, else the unrated prior; `None` without ratings.
    pub fn outlet_prior(&self, outlet: &str) -> Option<f64> {
        if self.ratings.is_empty() {
            return None;
        }
        Some(
            self.ratings
                .get(&self.map.canonical(outlet))
                .unwrap_or(self.unrated),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.ratings.is_empty()
    }

    /// The rating of a cited source, if it is a rated outlet.
    pub fn rating(&self, source: &str) -> Option<f64> {
        if self.ratings.is_empty() {
            return None;
        }
        let name = source.trim();
        if let Some(r) = self.ratings.get(&self.map.canonical(name)) {
            return Some(r);
        }
        let lower = name.to_lowercase();
        let bare = lower.strip_prefix("the ").unwrap_or(&lower);
        let last = bare.split_whitespace().next_back().unwrap_or_default();
        if !OUTLET_WORDS.contains(&last) {
            return None;
        }
        let squashed: String = bare.chars().filter(|c| c.is_alphanumeric()).collect();
        if squashed.len() < 3 {
            return None;
        }
        self.ratings.get(&format!("{squashed}.com"))
    }
}

/// The header names an alias file's canonical-name column may have.
const ALIAS_COLUMNS: &[&str] = &["canonical", "name", "outlet_name"];

/// The bundled alias file, built into the binary.
const BUNDLED_ALIASES: &str = include_str!("../../datasets/outlet-aliases.csv");

/// The header names a ratings file's value column may have.
const RATING_COLUMNS: &[&str] = &["rating", "score", "credibility", "pc1", "prior"];

/// The bundled ratings file, built into the binary so that every copy of
/// it (a Spark executor's too) scores with the same priors.
const BUNDLED_RATINGS: &str = include_str!("../../datasets/outlet-ratings.csv");

/// What errors and reports call the bundled ratings.
pub const BUNDLED_RATINGS_NAME: &str = "datasets/outlet-ratings.csv (bundled)";

/// Outlet quality ratings, 0..=100, used as priors.
#[derive(Debug, Clone, Default)]
pub struct Ratings {
    /// Each row's rating, by the host the row names (`news.sky.com`).
    by_outlet: HashMap<String, f64>,
    /// For a registered domain that has no row of its own but rows for
    /// some of its subdomains (`augusta.com`, from `chronicle.augusta.com`):
    /// the mean of those rows, since an article's outlet is the registered
    /// domain.
    by_domain: HashMap<String, f64>,
}

impl Ratings {
    /// Reads a CSV with a `domain` column and a rating column (`rating`,
    /// `score`, `credibility` or `pc1`). Ratings in 0..=1 are scaled to 0..=100.
    pub fn load(path: &Path) -> Result<Ratings, SourceFileError> {
        let name = path.display().to_string();
        Ratings::parse(read_pairs(path, RATING_COLUMNS)?, &name)
    }

    /// The ratings that ship with credence (`datasets/outlet-ratings.csv`,
    /// built into the binary): the priors when no `--ratings` file is given.
    pub fn bundled() -> Ratings {
        let pairs = parse_pairs(
            BUNDLED_RATINGS.as_bytes(),
            BUNDLED_RATINGS_NAME,
            RATING_COLUMNS,
        );
        // The file is ours and a test reads it: it cannot fail here.
        pairs
            .and_then(|p| Ratings::parse(p, BUNDLED_RATINGS_NAME))
            .unwrap_or_default()
    }

    fn parse(pairs: Vec<(String, String)>, name: &str) -> Result<Ratings, SourceFileError> {
        if pairs.is_empty() {
            return Err(SourceFileError {
                path: name.to_string(),
                message: "the ratings file rates no outlet: give at least one domain,rating row, or use --no-priors for no ratings".into(),
            });
        }
        let mut values = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let r: f64 = v.parse().map_err(|_| SourceFileError {
                path: name.to_string(),
                message: format!("rating {v:?} for {k:?} is not a number"),
            })?;
            values.push((fold_rated(&k), r));
        }
        let scale = if values.iter().all(|(_, r)| (0.0..=1.0).contains(r)) {
            100.0
        } else {
            1.0
        };
        Ok(Ratings::new(
            values
                .into_iter()
                .map(|(k, r)| (k, (r * scale).clamp(0.0, 100.0)))
                .collect(),
        ))
    }

    /// Ratings from (outlet, rating 0..=100) pairs.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, f64)>) -> Ratings {
        Ratings::new(
            pairs
                .into_iter()
                .map(|(k, r)| (fold_rated(&k), r.clamp(0.0, 100.0)))
                .collect(),
        )
    }

    fn new(by_outlet: HashMap<String, f64>) -> Ratings {
        // Rows in name order, so that each mean is summed in one order.
        let mut rows: Vec<(&String, &f64)> = by_outlet.iter().collect();
        rows.sort_by(|a, b| a.0.cmp(b.0));
        let mut under: HashMap<String, (f64, usize)> = HashMap::new();
        for (host, rating) in rows {
            let Some(domain) = crate::input::domain_of(host) else {
                continue;
            };
            if domain != *host && !by_outlet.contains_key(&domain) {
                let (sum, n) = under.entry(domain).or_default();
                *sum += rating;
                *n += 1;
            }
        }
        let by_domain = under
            .into_iter()
            .map(|(domain, (sum, n))| (domain, sum / n as f64))
            .collect();
        Ratings {
            by_outlet,
            by_domain,
        }
    }

    /// The rating of a (folded) outlet: its own row's; else, for a host
    /// name, that of the nearest parent domain the file rates, so that a
    /// portal's newsroom (`sports.yahoo.com`) is rated as the portal when
    /// the file rates only that; else, for a registered domain the file
    /// rates only through subdomains (`augusta.com`), the mean of those
    /// rows. A site on a shared host ([`crate::input::is_shared_host`]) is
    /// not its host's publisher: it keeps no rating unless the file rates
    /// it by name.
    pub fn get(&self, outlet: &str) -> Option<f64> {
        self.by_outlet
            .get(outlet)
            .or_else(|| self.by_domain.get(outlet))
            .copied()
            .or_else(|| self.parent_rating(outlet))
    }

    /// The rating of the nearest rated parent domain of a host name.
    fn parent_rating(&self, outlet: &str) -> Option<f64> {
        let is_host = outlet.contains('.')
            && !outlet.contains(char::is_whitespace)
            && outlet
                .rsplit('.')
                .next()
                .is_some_and(|tld| tld.chars().any(|c| !c.is_ascii_digit()));
        if !is_host {
            return None;
        }
        // Walk up to the last two labels (an outlet is already its
        // registered domain, so this serves portals' newsrooms). A
        // second-level suffix such as `co.uk` is never a rated outlet, so
        // it needs no public-suffix check.
        let mut rest = outlet;
        while let Some((_, parent)) = rest.split_once('.') {
            if !parent.contains('.') || crate::input::is_shared_host(parent) {
                return None;
            }
            if let Some(r) = self.by_outlet.get(parent) {
                return Some(*r);
            }
            rest = parent;
        }
        None
    }

    /// The prior of an outlet the file does not rate: the rating at
    /// `quantile` (0..=1) of the file's ratings, or the mean rating when no
    /// quantile is given.
    pub fn unrated_prior(&self, quantile: Option<f64>) -> f64 {
        let Some(q) = quantile else {
            return self.mean();
        };
        if self.by_outlet.is_empty() {
            return self.mean();
        }
        let mut values: Vec<f64> = self.by_outlet.values().copied().collect();
        values.sort_by(f64::total_cmp);
        let at = (q.clamp(0.0, 1.0) * (values.len() - 1) as f64).round() as usize;
        values[at.min(values.len() - 1)]
    }

    /// The mean rating.
    pub fn mean(&self) -> f64 {
        if self.by_outlet.is_empty() {
            return 50.0;
        }
        self.by_outlet.values().sum::<f64>() / self.by_outlet.len() as f64
    }

    /// A hash of every row and its rating, in name order: two tables rate
    /// every outlet alike when it is equal.
    pub fn fingerprint(&self) -> u64 {
        let mut rows: Vec<(&String, &f64)> = self.by_outlet.iter().collect();
        rows.sort_by(|a, b| a.0.cmp(b.0));
        let mut hash = crate::link::FNV_OFFSET;
        for (name, rating) in rows {
            for b in name
                .bytes()
                .chain([b'\t'])
                .chain(rating.to_bits().to_le_bytes())
            {
                hash = crate::link::fnv1a(hash, b);
            }
        }
        hash
    }

    /// Outlets rated.
    pub fn len(&self) -> usize {
        self.by_outlet.len()
    }

    /// True when no outlet is rated.
    pub fn is_empty(&self) -> bool {
        self.by_outlet.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_split_into_people() {
        assert_eq!(
            authors("By Ana Ruiz and Tom Beck"),
            ["Ana Ruiz", "Tom Beck"]
        );
        assert_eq!(
            authors("By Ana Ruiz, Tom Beck and Li Wei, Reuters"),
            ["Ana Ruiz", "Tom Beck", "Li Wei"]
        );
        assert_eq!(authors("Associated Press"), Vec::<String>::new());
        assert_eq!(authors("TruthBlast Staff"), Vec::<String>::new());
        assert_eq!(authors(""), Vec::<String>::new());
    }

    #[test]
    fn the_bundled_files_parse() {
        let ratings = Ratings::bundled();
        assert!(ratings.len() > 100, "{}", ratings.len());
        assert_eq!(ratings.get("apnews.com"), Some(90.0));
        assert_eq!(ratings.get("www.breitbart.com"), Some(25.0));
        // An unrated outlet starts at the lower quartile: the tier of
        // partisan outlets with a record of misleading claims.
        assert_eq!(ratings.unrated_prior(Some(0.25)), 40.0);
        let aliases = SourceMap::bundled();
        assert!(aliases.len() > 30, "{}", aliases.len());
        assert_eq!(
            aliases.canonical("The Washington Post"),
            "washingtonpost.com"
        );
        // Every alias leads to a domain the bundled ratings rate.
        for canonical in aliases.aliases.values() {
            assert!(ratings.get(canonical).is_some(), "{canonical} is not rated");
        }
    }

    #[test]
    fn a_ratings_file_keeps_its_subdomain_rows_apart_in_either_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        for rows in [
            "cnn.com,0.8\nedition.cnn.com,0.3\nnews.yahoo.com,0.8\n",
            "edition.cnn.com,0.3\ncnn.com,0.8\nnews.yahoo.com,0.8\n",
        ] {
            let path = dir.path().join("r.csv");
            std::fs::write(&path, format!("domain,rating\n{rows}")).expect("write");
            let ratings = Ratings::load(&path).expect("loads");
            assert_eq!(ratings.len(), 3, "{rows}");
            // An article's outlet is the registered domain, rated as such...
            assert_eq!(
                ratings.get(&fold_outlet("https://edition.cnn.com/x")),
                Some(80.0)
            );
            // ... a portal's newsroom by its own row, and another newsroom
            // of the portal, unrated, by none (the portal itself is unrated).
            assert_eq!(
                ratings.get(&fold_outlet("https://uk.news.yahoo.com/x")),
                Some(80.0)
            );
            assert_eq!(
                ratings.get(&fold_outlet("https://sports.yahoo.com/x")),
                None
            );
        }
        // A registered domain rated only through subdomains gets their
        // mean: an article's outlet is the registered domain.
        let path = dir.path().join("r.csv");
        std::fs::write(
            &path,
            "domain,rating\nchronicle.augusta.com,0.6\nsports.augusta.com,0.4\nx.substack.com,0.1\n",
        )
        .expect("write");
        let ratings = Ratings::load(&path).expect("loads");
        let outlet = fold_outlet("https://chronicle.augusta.com/news/x");
        assert_eq!(outlet, "augusta.com");
        assert_eq!(ratings.get(&outlet), Some(50.0));
        // Not so for a shared host: its sites are not its publisher.
        assert_eq!(ratings.get("substack.com"), None);
        assert_eq!(
            ratings.get(&fold_outlet("https://x.substack.com/p")),
            Some(10.0)
        );
    }

    #[test]
    fn a_newsrooms_aliases_add_to_the_bundled_ones_and_win() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("aliases.csv");
        std::fs::write(
            &path,
            "# ours\nalias,canonical\nthe ledger,ledger.example\ncnn,cnn.example\n",
        )
        .expect("write");
        let map = SourceMap::bundled().extended(SourceMap::load(&path).expect("loads"));
        assert_eq!(map.canonical("The Ledger"), "ledger.example");
        assert_eq!(map.canonical("CNN"), "cnn.example");
        assert_eq!(map.canonical("wapo"), "washingtonpost.com");
    }

    #[test]
    fn outlets_fold_and_map() {
        assert_eq!(fold_outlet("https://www.Example.com/story"), "example.com");
        assert_eq!(fold_outlet("amp.example.com"), "example.com");
        assert_eq!(fold_outlet("The Ledger"), "the ledger");
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("map.csv");
        std::fs::write(&path, "alias,canonical\npoliti.co,politico.com\n").expect("write");
        let map = SourceMap::load(&path).expect("map");
        assert_eq!(map.canonical("https://politi.co/x"), "politico.com");
        assert_eq!(map.canonical("www.politico.com"), "politico.com");
    }

    #[test]
    fn a_site_on_a_shared_host_is_not_rated_as_its_host() {
        let r = Ratings::from_pairs([("blogspot.com".to_string(), 67.0)]);
        assert_eq!(r.get("blogspot.com"), Some(67.0));
        assert_eq!(r.get("truthblast.blogspot.com"), None);
        assert_eq!(r.get("the ledger"), None);
    }

    #[test]
    fn ratings_scale_to_100() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("r.csv");
        std::fs::write(&path, "domain,pc1\nexample.com,0.8\nwww.other.org,0.25\n").expect("write");
        let r = Ratings::load(&path).expect("ratings");
        assert_eq!(r.get("example.com"), Some(80.0));
        assert_eq!(r.get("other.org"), Some(25.0));
        assert_eq!(
            r.get("money.example.com"),
            Some(80.0),
            "a section is its site"
        );
        assert_eq!(r.get("a.b.other.org"), Some(25.0));
        assert_eq!(r.get("example.co.uk"), None);
        assert_eq!(r.get("unrated.net"), None);
        assert_eq!(r.unrated_prior(Some(0.0)), 25.0);
        assert_eq!(r.unrated_prior(Some(1.0)), 80.0);
        assert_eq!(r.unrated_prior(None), 52.5);
        std::fs::write(&path, "domain\nexample.com\n").expect("write");
        assert!(
            Ratings::load(&path)
                .unwrap_err()
                .to_string()
                .contains("value column")
        );
        std::fs::write(&path, "domain,rating\n").expect("write");
        let empty = Ratings::load(&path).unwrap_err().to_string();
        assert!(
            empty.contains("r.csv") && empty.contains("rates no outlet"),
            "{empty}"
        );
    }
}
