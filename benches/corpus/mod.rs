//! A generated news-prose corpus for benchmarks: templates filled with
//! random choices, never text copied from a real corpus.
//!
//! Articles look like wire copy: a dateline lead, quotations in curly and
//! straight quotes, attributions (named, anonymous, vague, documents),
//! figures (counts, money, percentages, ranges, "dozens"), hedges, em and
//! en dashes, abbreviations ("Dr.", "Jan."). Stories are drawn from a small
//! pool of events so that outlets report the same figure and cross-article
//! linking has work to do. The same seed gives the same corpus.

#![allow(dead_code)] // each user (bench, example) takes what it needs

use std::io::Write;

/// A small, fast, seeded generator (SplitMix64): no dependency, same
/// corpus on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const OUTLETS: &[&str] = &[
    "harborwire.example",
    "valleyledger.example",
    "northstar-news.example",
    "thecourier.example",
    "dailybeacon.example",
    "metro-times.example",
    "coastalpost.example",
    "tribune-online.example",
];

const FIRST: &[&str] = &[
    "Ana", "Helen", "Owen", "Lorna", "Marcus", "Priya", "Tomas", "Grace", "Elif", "Jonah", "Keiko",
    "Rafael", "Nadia", "Samuel", "Ines", "Victor", "Amara", "Declan", "Sofia", "Ravi",
];

const LAST: &[&str] = &[
    "Ruiz",
    "Marsh",
    "Pryce",
    "Haig",
    "Okafor",
    "Lindqvist",
    "Brandt",
    "Osei",
    "Castellano",
    "Whitfield",
    "Nakamura",
    "Duarte",
    "Kovac",
    "Abernathy",
    "Mbeki",
    "Quinlan",
    "Farrow",
    "Halvorsen",
    "Delacroix",
    "Sato",
];

const PLACES: &[&str] = &[
    "Calder Bay",
    "Linwick",
    "Ostrander County",
    "Port Avery",
    "Halloway County",
    "Mirelle",
    "Eastbrook",
    "the Sorrel Valley",
    "North Haven",
    "Grayfield",
    "Westmoor",
    "Ashby Falls",
    "Kettering Point",
    "Lake Orrin",
    "Brackenridge",
    "Saltmarsh",
    "Cobalt Ridge",
    "Fennimore",
    "Dunmore Heights",
    "Rosalind Springs",
    "Tallis Creek",
    "Harlow Junction",
];

const SYLLABLES: &[&str] = &[
    "brack", "dun", "ell", "far", "gil", "hal", "kes", "lor", "mar", "nor", "ost", "pel", "quin",
    "ros", "sal", "tam", "ul", "ver", "wen", "yar",
];

const PLACE_ENDINGS: &[&str] = &[
    "moor", "ton", "field", "wick", "ford", "bury", "stead", "haven", "more", "dale",
];

const ORGS: &[&str] = &[
    "the Harbor Authority",
    "the county sheriff’s office",
    "the Department of Transportation",
    "the state health department",
    "the National Weather Service",
    "the Red Cross",
    "the city council",
    "the Ministry of the Interior",
    "the fire department",
    "the school board",
];

const LOCAL_OFFICES: &[&str] = &[
    "police",
    "fire officials",
    "emergency managers",
    "county officials",
    "hospital officials",
];

const ROLES: &[&str] = &[
    "a spokeswoman for",
    "the director of",
    "a senior official at",
    "the chief of",
    "an engineer with",
    "a spokesman for",
];

const EVENTS: &[(&str, &str, &str)] = &[
    // (event noun, predicate for a toll, what is counted)
    ("ferry capsizing", "killed", "people"),
    ("flood", "destroyed", "homes"),
    ("warehouse fire", "injured", "workers"),
    ("bridge collapse", "killed", "people"),
    ("storm", "damaged", "homes"),
    ("protest", "arrested", "people"),
    ("landslide", "displaced", "families"),
    ("factory explosion", "injured", "people"),
];

const MONTHS: &[&str] = &[
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];

const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const VERBS: &[&str] = &[
    "said",
    "told reporters",
    "said in a statement",
    "added",
    "wrote",
];

const HEDGES: &[&str] = &[
    "may",
    "could",
    "might",
    "is likely to",
    "appears to",
    "is believed to",
];

const ANONYMOUS: &[&str] = &[
    "officials said",
    "a person familiar with the matter said",
    "two people briefed on the investigation said",
    "a senior official who asked not to be named said",
    "sources said",
];

const VAGUE: &[&str] = &[
    "Critics say",
    "Many residents believe",
    "Experts say",
    "Some observers argue",
    "It is widely believed that",
];

const QUOTES: &[&str] = &[
    "We are going house by house, and until we have knocked on every door that number is going to keep changing",
    "I have lived on this street for thirty years and I have never seen anything like it",
    "Nobody told us the water was coming — not the county, not the state, nobody",
    "We will rebuild, but it is going to take time and money we do not have",
    "The crews worked through the night; they did everything they could",
    "This was preventable, and the people responsible will have to answer for it",
    "Our first priority is the families, and everything else can wait",
    "We asked for the inspection report twice and never got an answer",
];

const FILLER: &[&str] = &[
    "Traffic on the coastal road was diverted for most of the afternoon",
    "Schools in the district were closed on Monday and are expected to reopen later in the week",
    "Volunteers handed out water and blankets at the community center on Main Street",
    "The last comparable event in the region was in the early 1990s, according to local historians",
    "Power was restored to most neighborhoods by the evening",
    "Residents lined up outside the town hall to ask about temporary housing",
    "The road along the river remains closed to all but emergency vehicles",
    "Insurance adjusters began arriving in the area on Tuesday morning",
];

/// One generated article, with the fields `credence score` reads.
pub struct Article {
    pub id: String,
    pub source: String,
    pub author: String,
    pub url: String,
    pub published: String,
    pub title: String,
    pub body: String,
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
}

fn figure(rng: &mut Rng, base: usize) -> String {
    // Mostly the event's true toll, sometimes a different or vaguer one.
    match rng.below(10) {
        0 => format!("at least {base}"),
        1 => format!("about {}", base + rng.below(10)),
        2 => "dozens of".replace(" of", ""),
        3 => format!("{}", base + 5 + rng.below(40)),
        4 => format!("{}–{}", base, base + 2 + rng.below(6)),
        _ => format!("{base}"),
    }
}

fn quote(rng: &mut Rng, text: &str) -> String {
    if rng.chance(70) {
        format!("“{text},”")
    } else {
        format!("\"{text},\"")
    }
}

/// One sentence of body text, from one of many templates.
fn sentence(rng: &mut Rng, place: &str, event: (&str, &str, &str), toll: usize) -> String {
    let (noun, predicate, thing) = event;
    let org = rng.pick(ORGS);
    // Figures come from local officials, named after the place.
    let local = format!("{} {}", place, rng.pick(LOCAL_OFFICES));
    match rng.below(16) {
        0 => format!(
            "{} {} {} {} in {place}, {} {}.",
            capitalize(&format!("the {noun}")),
            predicate,
            figure(rng, toll),
            thing,
            local,
            rng.pick(VERBS)
        ),
        1 => {
            let said = rng.pick(QUOTES);
            format!(
                "{} said {}, {} {}, {}.",
                quote(rng, said),
                person(rng),
                rng.pick(ROLES),
                org,
                if rng.chance(50) {
                    "speaking to reporters on Sunday"
                } else {
                    "on Tuesday"
                }
            )
        }
        2 => format!(
            "{} said the cost of the repairs could reach ${}.{} million, and that {} percent of the damage was not insured.",
            local,
            1 + rng.below(40),
            rng.below(10),
            10 + rng.below(70)
        ),
        3 => format!(
            "The {noun} {} have been caused by a failure that inspectors flagged in {} {}, {}.",
            rng.pick(HEDGES),
            rng.pick(MONTHS),
            2015 + rng.below(10),
            rng.pick(ANONYMOUS)
        ),
        4 => format!(
            "{} the {noun} {} have been avoided.",
            rng.pick(VAGUE),
            rng.pick(&HEDGES[..3])
        ),
        5 => format!(
            "Dr. {} — who has studied the area for {} years — said the risk had been known “for a long time.”",
            person(rng),
            5 + rng.below(30)
        ),
        6 => format!(
            "According to {local}, {} {} were {} and {} more remained missing on {}.",
            figure(rng, toll),
            thing,
            predicate,
            ["two", "three", "several", "a dozen"][rng.below(4)],
            rng.pick(DAYS)
        ),
        7 => format!(
            "The contractor reportedly ignored {} warnings between {} and {}.",
            3 + rng.below(12),
            2010 + rng.below(8),
            2018 + rng.below(6)
        ),
        8 => format!("{}.", rng.pick(FILLER)),
        9 => format!(
            "Mr. {} allegedly diverted ${},{:03} from the relief fund, a claim his lawyer denied.",
            rng.pick(LAST),
            10 + rng.below(900),
            rng.below(1000)
        ),
        10 => format!(
            "“{},” {} said. “{}.”",
            rng.pick(QUOTES),
            person(rng),
            rng.pick(FILLER)
        ),
        11 => format!(
            "Turnout at the emergency meeting fell to {} percent, roughly half of last year’s, the U.S. census office said on {} {}.",
            20 + rng.below(50),
            rng.pick(MONTHS),
            1 + rng.below(28)
        ),
        12 => format!(
            "The {noun} {} {} {thing}, the worst toll in {place} since {}.",
            predicate,
            figure(rng, toll),
            1950 + rng.below(70)
        ),
        13 => format!(
            "Hundreds of residents — many of them elderly — spent the night in shelters run by {org}."
        ),
        14 => format!(
            "An audit by {org} found that {} of {} inspections were never completed.",
            2 + rng.below(20),
            30 + rng.below(40)
        ),
        _ => format!(
            "{} said {} {} would be needed to clear the debris, which {} take until {}.",
            person(rng),
            ["two", "three", "four", "five"][rng.below(4)],
            ["weeks", "crews", "months", "teams"][rng.below(4)],
            rng.pick(&HEDGES[..3]),
            ["the spring", "next year", "late summer", "March"][rng.below(4)]
        ),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Article number `n` of the corpus, about `bytes` long. About six
/// articles from different outlets cover each story, published within a
/// few days of it; twenty stories break a day.
pub fn article(rng: &mut Rng, n: usize, bytes: usize) -> Article {
    let story = n / 6 + rng.below(3);
    let mut srng = Rng::new(story as u64 * 7919 + 13);
    // Most places are one made-up word ("Brackmoor"), a few are known
    // ones, so that a week's stories rarely share one.
    let place = if srng.chance(10) {
        srng.pick(PLACES).to_string()
    } else {
        capitalize(&format!(
            "{}{}{}",
            srng.pick(SYLLABLES),
            srng.pick(SYLLABLES),
            srng.pick(PLACE_ENDINGS)
        ))
    };
    let place = place.as_str();
    let event = EVENTS[srng.below(EVENTS.len())];
    let toll = 4 + srng.below(200);
    // A 360-day calendar keeps every date valid without a date library.
    let day = story / 20 + rng.below(3);
    let (year, month, day) = (2020 + day / 360, 1 + day % 360 / 30, 1 + day % 30);
    let outlet = rng.pick(OUTLETS);
    let title = format!(
        "{} in {place} {} {toll} {}, officials say",
        capitalize(event.0),
        event.1,
        event.2
    );
    let mut body = format!(
        "{} — The {} in {place} on {} {} {toll} {}, {place} {} said.",
        place.trim_start_matches("the ").to_uppercase(),
        event.0,
        rng.pick(DAYS),
        event.1,
        event.2,
        rng.pick(LOCAL_OFFICES)
    );
    let mut in_paragraph = 1;
    while body.len() < bytes {
        if in_paragraph > rng.below(3) {
            body.push_str("\n\n");
            in_paragraph = 0;
        } else {
            body.push(' ');
        }
        body.push_str(&sentence(rng, place, event, toll));
        in_paragraph += 1;
    }
    Article {
        id: format!("gen-{n:07}"),
        source: outlet.to_string(),
        author: format!("By {}", person(rng)),
        url: format!("https://www.{outlet}/{year}/{month:02}/story-{n}"),
        published: format!("{year}-{month:02}-{day:02}"),
        title,
        body,
    }
}

/// Writes about `total_bytes` of JSON Lines articles of about
/// `article_bytes` each; returns the number of articles.
pub fn write_jsonl(
    out: &mut impl Write,
    seed: u64,
    total_bytes: usize,
    article_bytes: usize,
) -> std::io::Result<usize> {
    let mut rng = Rng::new(seed);
    let mut written = 0;
    let mut n = 0;
    while written < total_bytes {
        let a = article(&mut rng, n, article_bytes);
        let line = serde_json::json!({
            "id": a.id,
            "source": a.source,
            "author": a.author,
            "url": a.url,
            "published": a.published,
            "title": a.title,
            "body": a.body,
        })
        .to_string();
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        written += line.len() + 1;
        n += 1;
    }
    Ok(n)
}

/// `count` article bodies, for benchmarks that need only text.
pub fn bodies(seed: u64, count: usize, article_bytes: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|n| article(&mut rng, n, article_bytes).body)
        .collect()
}

/// `count` whole articles as credence reads them, for benchmarks of the
/// stages after analysis.
pub fn articles(seed: u64, count: usize, article_bytes: usize) -> Vec<credence::input::Article> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|n| {
            let a = article(&mut rng, n, article_bytes);
            credence::input::Article {
                id: a.id,
                source: a.source,
                author: a.author,
                url: a.url,
                published: a.published,
                title: a.title,
                body: a.body,
            }
        })
        .collect()
}

/// Bytes of article text, for throughput in MB/s.
pub fn body_bytes(articles: &[credence::input::Article]) -> u64 {
    articles.iter().map(|a| a.body.len() as u64).sum()
}
