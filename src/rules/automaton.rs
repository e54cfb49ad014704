//! A full DFA over a set of strings that reports every occurrence of every
//! string, overlaps included: the automaton of Aho and Corasick ("Efficient
//! string matching: an aid to bibliographic search", Communications of the
//! ACM 18(6), 1975) with its failure links folded into the transitions.
//!
//! Built here rather than taken from a library for two reasons. It is built
//! in one pass over the trie, each state's transitions copied from those of
//! its failure state, which costs a small part of what following failure
//! links byte by byte does; and the text is read through a table that gives
//! each byte its class directly, so that a byte costs one lookup less.

/// A DFA over a set of patterns, reading the text through a byte map.
#[derive(Debug, Clone)]
pub struct Automaton {
    /// The transitions: a state is named by the offset of its row, which
    /// has `1 << shift` entries, one for each byte class. The match states
    /// come first, so that a state below `match_end` is one. The table is
    /// padded to a power of two, so that an index masked with `mask` needs
    /// no bounds check.
    trans: Vec<u32>,
    /// `trans.len() - 1`.
    mask: usize,
    /// Log2 of the length of a row.
    shift: u32,
    /// The class of each byte of the text.
    classes: [u32; 256],
    /// States (row offsets) below this are match states.
    match_end: u32,
    /// The state before any text.
    start: u32,
    /// The patterns of match state `i` (in order of row) are
    /// `match_list[match_at[i]..match_at[i + 1]]`: longest first.
    match_at: Vec<usize>,
    match_list: Vec<u32>,
    /// Length of each pattern in bytes.
    pattern_lens: Vec<u32>,
    /// The length of the longest pattern.
    longest: usize,
}

/// Most entries of a transition table: a table this large (eight
/// gigabytes) is a pack's mistake, not its terms.
pub(super) const MAX_TRANSITIONS: usize = 1 << 31;

/// A node of the trie of the patterns.
struct Node {
    /// The first of the edges to its children, [`NONE`] for a leaf.
    first_edge: u32,
    /// The patterns that end here.
    own: Vec<u32>,
}

/// An edge of the trie, from a node to a child: its children's edges are
/// a list, kept in one vector for the whole trie rather than one for each
/// node.
struct Edge {
    class: u32,
    child: u32,
    /// The node's next edge, or [`NONE`].
    next: u32,
}

/// No edge.
const NONE: u32 = u32::MAX;

/// A node with no children and no patterns.
const LEAF: Node = Node {
    first_edge: NONE,
    own: Vec::new(),
};

/// The (class, child) of each edge of `node`.
fn children<'a>(
    nodes: &'a [Node],
    edges: &'a [Edge],
    node: usize,
) -> impl Iterator<Item = (u32, u32)> + 'a {
    let mut at = nodes[node].first_edge;
    std::iter::from_fn(move || {
        let edge = edges.get(at as usize)?;
        at = edge.next;
        Some((edge.class, edge.child))
    })
}

impl Automaton {
    /// The automaton over `patterns`, where pattern byte `p` matches text
    /// byte `b` when `read[b] == p`: with `read` lowercasing ASCII letters
    /// and lowercased patterns, matching is ASCII case-insensitive. None
    /// when the table would be too large. An empty pattern never matches.
    pub fn new<P: AsRef<[u8]>>(patterns: &[P], read: &[u8; 256]) -> Option<Automaton> {
        // A class for each byte the patterns use, and one for all others.
        let mut class_of = [0u32; 256];
        let mut alphabet = 1u32;
        for p in patterns {
            for &b in p.as_ref() {
                if class_of[usize::from(b)] == 0 {
                    class_of[usize::from(b)] = alphabet;
                    alphabet += 1;
                }
            }
        }
        let shift = alphabet.next_power_of_two().trailing_zeros();
        let mut nodes = vec![LEAF];
        let mut edges: Vec<Edge> = Vec::new();
        for (id, p) in patterns.iter().enumerate() {
            let p = p.as_ref();
            if p.is_empty() {
                continue;
            }
            let mut at = 0usize;
            for &b in p {
                let class = class_of[usize::from(b)];
                let found = children(&nodes, &edges, at).find(|&(c, _)| c == class);
                at = match found {
                    Some((_, next)) => next as usize,
                    None => {
                        let child = u32::try_from(nodes.len()).ok().filter(|&n| n != NONE)?;
                        nodes.push(LEAF);
                        edges.push(Edge {
                            class,
                            child,
                            next: nodes[at].first_edge,
                        });
                        nodes[at].first_edge = u32::try_from(edges.len() - 1).ok()?;
                        child as usize
                    }
                };
            }
            nodes[at].own.push(u32::try_from(id).ok()?);
        }
        let stride = 1usize << shift;
        let size = nodes
            .len()
            .checked_mul(stride)
            .filter(|&n| n <= MAX_TRANSITIONS)?
            .next_power_of_two();
        let mut trans = vec![0u32; size];
        // Rows are given out as states are reached, breadth first: match
        // states from the first row up, the others from the last row down.
        // A state's failure state is nearer the root, so it has its row,
        // its transitions and its matches by the time the state needs them.
        let rows = u32::try_from(nodes.len()).ok()?;
        let mut next_match = 0u32;
        let mut next_other = rows;
        let mut match_at = vec![0usize];
        let mut match_list: Vec<u32> = Vec::new();
        let mut assign = |own: &[u32], fail: Option<u32>, next_match: &mut u32| {
            let inherited = fail.filter(|&f| f < *next_match).map(|f| {
                let f = f as usize;
                (match_at[f], match_at[f + 1])
            });
            if own.is_empty() && inherited.is_none() {
                next_other -= 1;
                return next_other;
            }
            match_list.extend_from_slice(own);
            if let Some((from, to)) = inherited {
                match_list.extend_from_within(from..to);
            }
            match_at.push(match_list.len());
            *next_match += 1;
            *next_match - 1
        };
        let root = assign(&nodes[0].own, None, &mut next_match);
        // (node, its row, its failure state's row).
        let mut queue = std::collections::VecDeque::from([(0usize, root, None::<u32>)]);
        while let Some((node, row, fail)) = queue.pop_front() {
            let at = (row as usize) << shift;
            match fail {
                Some(f) => {
                    trans.copy_within((f as usize) << shift..((f as usize) + 1) << shift, at)
                }
                None => trans[at..at + stride].fill(row << shift),
            }
            for (class, child) in children(&nodes, &edges, node) {
                // Where the text goes on the longest proper suffix of the
                // child's path: the root's children fail to the root.
                let child_fail = match fail {
                    Some(f) => trans[((f as usize) << shift) + class as usize] >> shift,
                    None => row,
                };
                let child_row = assign(
                    &nodes[child as usize].own,
                    Some(child_fail),
                    &mut next_match,
                );
                trans[at + class as usize] = child_row << shift;
                queue.push_back((child as usize, child_row, Some(child_fail)));
            }
        }
        debug_assert_eq!(next_match, next_other);
        let pattern_lens = patterns
            .iter()
            .map(|p| u32::try_from(p.as_ref().len()).ok())
            .collect::<Option<Vec<u32>>>()?;
        Some(Automaton {
            mask: trans.len() - 1,
            trans,
            shift,
            classes: std::array::from_fn(|b| class_of[usize::from(read[b])]),
            match_end: next_match << shift,
            start: root << shift,
            match_at,
            match_list,
            longest: pattern_lens.iter().max().map_or(0, |&n| n as usize),
            pattern_lens,
        })
    }

    /// Calls `found(start, end, pattern)` for every occurrence of every
    /// pattern in `haystack`, overlaps included, in order of end and, for
    /// one end, longest first, until `found` returns true.
    pub fn overlapping(&self, haystack: &[u8], mut found: impl FnMut(usize, usize, u32) -> bool) {
        let mut state = self.start;
        let mut at = 0;
        while at < haystack.len() {
            (at, state) = self.to_match(haystack, at, state);
            if state >= self.match_end {
                return;
            }
            for &pattern in self.patterns_of(state) {
                let len = self.pattern_lens[pattern as usize] as usize;
                if found(at - len, at, pattern) {
                    return;
                }
            }
        }
    }

    /// Calls `found(start, end, pattern)` for every occurrence of every
    /// pattern in `haystack`, overlaps included, as [`Self::overlapping`]
    /// does but in no particular order: for a long text and a table larger
    /// than a core's cache, faster (for the default pack's lexicon, a
    /// 20 MB run took a sixth less time with it).
    ///
    /// A walk is a chain of table look-ups, each waiting for the one
    /// before, and with a large table the wait is most of the time a byte
    /// takes. Here the text is cut into four pieces walked side by side:
    /// their chains do not wait on each other, so the processor overlaps
    /// them. The state after any text is that of its longest end that
    /// begins some pattern, which is no longer than the longest pattern:
    /// so a walk that starts that many bytes before a piece, from the start
    /// state, is in the state a single walk would be in where the piece
    /// begins.
    pub fn overlapping_unordered(&self, haystack: &[u8], mut found: impl FnMut(usize, usize, u32)) {
        const LANES: usize = 4;
        let piece = haystack.len() / LANES;
        if piece <= self.longest {
            self.overlapping(haystack, |start, end, pattern| {
                found(start, end, pattern);
                false
            });
            return;
        }
        let trans = &self.trans[..=self.mask];
        let step = |state: u32, byte: u8| -> u32 {
            trans[(state + self.classes[usize::from(byte)]) as usize & self.mask]
        };
        let mut report = |state: u32, end: usize| {
            for &pattern in self.patterns_of(state) {
                found(
                    end - self.pattern_lens[pattern as usize] as usize,
                    end,
                    pattern,
                );
            }
        };
        // Lane `i` walks piece `i`, from `i * piece`; each but the first
        // is brought to its piece's state by the bytes before it.
        let lead = |i: usize| {
            haystack[i * piece - self.longest..i * piece]
                .iter()
                .fold(self.start, |state, &byte| step(state, byte))
        };
        let (mut s0, mut s1, mut s2, mut s3) = (self.start, lead(1), lead(2), lead(3));
        let (p0, rest) = haystack.split_at(piece);
        let (p1, rest) = rest.split_at(piece);
        let (p2, rest) = rest.split_at(piece);
        let (p3, tail) = rest.split_at(piece);
        let lanes = p0.iter().zip(p1).zip(p2).zip(p3);
        for (k, (((&b0, &b1), &b2), &b3)) in lanes.enumerate() {
            s0 = step(s0, b0);
            s1 = step(s1, b1);
            s2 = step(s2, b2);
            s3 = step(s3, b3);
            // Matches are rare: one test for the four.
            if s0.min(s1).min(s2.min(s3)) < self.match_end {
                for (lane, state) in [s0, s1, s2, s3].into_iter().enumerate() {
                    if state < self.match_end {
                        report(state, lane * piece + k + 1);
                    }
                }
            }
        }
        // The last lane goes on over what the division left.
        let end = LANES * piece;
        for (k, &byte) in tail.iter().enumerate() {
            s3 = step(s3, byte);
            if s3 < self.match_end {
                report(s3, end + k + 1);
            }
        }
    }

    /// The patterns that end in match state `state`, longest first.
    #[inline]
    fn patterns_of(&self, state: u32) -> &[u32] {
        let i = (state >> self.shift) as usize;
        &self.match_list[self.match_at[i]..self.match_at[i + 1]]
    }

    /// Steps from `state` over `haystack[at..]` up to the first byte that
    /// leads to a match state: the place after that byte and the state, or
    /// the end and the last state. Kept out of line: inlined into a large
    /// caller such as `analyze`, the loop kept its state on the stack and
    /// took twice the instructions a byte.
    #[inline(never)]
    fn to_match(&self, haystack: &[u8], mut at: usize, mut state: u32) -> (usize, u32) {
        let trans = &self.trans[..=self.mask];
        let mask = self.mask;
        let classes = &self.classes;
        let match_end = self.match_end;
        // Four bytes a round: the end of the text is checked once for four.
        while let Some(four) = haystack.get(at..at + 4) {
            for (i, &byte) in four.iter().enumerate() {
                state = trans[(state + classes[usize::from(byte)]) as usize & mask];
                if state < match_end {
                    return (at + i + 1, state);
                }
            }
            at += 4;
        }
        while let Some(&byte) = haystack.get(at) {
            at += 1;
            state = trans[(state + classes[usize::from(byte)]) as usize & mask];
            if state < match_end {
                break;
            }
        }
        (at, state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every occurrence, as a plain search finds it: by end, then longest
    /// first, then in pattern order.
    fn naive(patterns: &[&str], read: &[u8; 256], text: &[u8]) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        for end in 1..=text.len() {
            let mut here: Vec<(usize, usize, u32)> = patterns
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    let p = p.as_bytes();
                    !p.is_empty()
                        && p.len() <= end
                        && text[end - p.len()..end]
                            .iter()
                            .zip(p)
                            .all(|(&b, &q)| read[usize::from(b)] == q)
                })
                .map(|(i, p)| (end - p.len(), end, i as u32))
                .collect();
            here.sort_by_key(|&(start, _, id)| (start, id));
            out.extend(here);
        }
        out
    }

    /// ASCII letters read lowercased, line breaks as spaces.
    fn lower_space() -> [u8; 256] {
        let mut read: [u8; 256] = std::array::from_fn(|i| (i as u8).to_ascii_lowercase());
        read[usize::from(b'\n')] = b' ';
        read
    }

    fn all(automaton: &Automaton, text: &[u8]) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        automaton.overlapping(text, |s, e, p| {
            out.push((s, e, p));
            false
        });
        out
    }

    #[test]
    fn finds_every_occurrence_in_order() {
        let mut lower = [0u8; 256];
        for (i, b) in lower.iter_mut().enumerate() {
            *b = (i as u8).to_ascii_lowercase();
        }
        let same: [u8; 256] = std::array::from_fn(|i| i as u8);
        let patterns = [
            "he",
            "she",
            "his",
            "hers",
            "s",
            "said",
            "sa",
            "id",
            "",
            "caf\u{e9}",
            "f\u{e9}",
            "he said",
            "a",
            "aa",
            "aaa",
        ];
        for text in [
            "ushers said: she said his hers",
            "SHE SAID, He Said",
            "caf\u{e9} f\u{e9}te CAF\u{c9} aaaa",
            "",
            "x",
        ] {
            for read in [&lower, &same] {
                let automaton = Automaton::new(&patterns, read).expect("small");
                assert_eq!(
                    all(&automaton, text.as_bytes()),
                    naive(&patterns, read, text.as_bytes()),
                    "{text:?}"
                );
            }
        }
        // No patterns, or only empty ones: nothing is found.
        let none: [&str; 0] = [];
        assert!(all(&Automaton::new(&none, &same).expect("empty"), b"abc").is_empty());
        assert!(all(&Automaton::new(&[""], &same).expect("empty"), b"abc").is_empty());
    }

    #[test]
    fn stops_when_asked() {
        let same: [u8; 256] = std::array::from_fn(|i| i as u8);
        let automaton = Automaton::new(&["ab", "b", "abc"], &same).expect("small");
        let mut seen = Vec::new();
        automaton.overlapping(b"xabcab", |s, e, p| {
            seen.push((s, e, p));
            p == 1
        });
        assert_eq!(seen, [(1, 3, 0), (2, 3, 1)]);
    }

    #[test]
    fn side_by_side_walks_find_what_one_walk_finds() {
        let read: [u8; 256] = std::array::from_fn(|i| (i as u8).to_ascii_lowercase());
        let patterns = ["said", "ai", "the report", "report said", "d t", "a"];
        let automaton = Automaton::new(&patterns, &read).expect("small");
        let sentence = "The report said the aide said. ";
        // Every length from too short to be split to several pieces each
        // longer than the longest pattern, so that matches fall across
        // every cut and into the remainder.
        for n in 0..200 {
            let text: String = sentence.chars().cycle().take(n).collect();
            let mut side_by_side = Vec::new();
            automaton
                .overlapping_unordered(text.as_bytes(), |s, e, p| side_by_side.push((s, e, p)));
            side_by_side.sort_by_key(|&(s, e, p)| (e, std::cmp::Reverse(e - s), p));
            assert_eq!(side_by_side, all(&automaton, text.as_bytes()), "length {n}");
        }
    }

    proptest::proptest! {
        #[test]
        fn side_by_side_agrees_with_a_plain_search(
            patterns in proptest::collection::vec("[abc ]{1,6}", 1..12),
            text in "[abcABC \n]{0,120}",
        ) {
            let read = lower_space();
            let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let automaton = Automaton::new(&refs, &read).expect("small");
            let mut found = Vec::new();
            automaton.overlapping_unordered(text.as_bytes(), |s, e, p| found.push((s, e, p)));
            found.sort_by_key(|&(s, e, p)| (e, s, p));
            let mut expected = naive(&refs, &read, text.as_bytes());
            expected.sort_by_key(|&(s, e, p)| (e, s, p));
            proptest::prop_assert_eq!(found, expected);
        }

        #[test]
        fn agrees_with_a_plain_search(
            patterns in proptest::collection::vec("[abc ]{0,4}", 0..12),
            text in "[abcABC \n]{0,40}",
        ) {
            let read = lower_space();
            let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let automaton = Automaton::new(&refs, &read).expect("small");
            proptest::prop_assert_eq!(
                all(&automaton, text.as_bytes()),
                naive(&refs, &read, text.as_bytes())
            );
        }
    }
}
