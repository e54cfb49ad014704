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
}

/// Most entries of a transition table: a table this large (eight
/// gigabytes) is a pack's mistake, not its terms.
const MAX_TRANSITIONS: usize = 1 << 31;

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
            let i = (state >> self.shift) as usize;
            for &pattern in &self.match_list[self.match_at[i]..self.match_at[i + 1]] {
                let len = self.pattern_lens[pattern as usize] as usize;
                if found(at - len, at, pattern) {
                    return;
                }
            }
        }
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

    proptest::proptest! {
        #[test]
        fn agrees_with_a_plain_search(
            patterns in proptest::collection::vec("[abc ]{0,4}", 0..12),
            text in "[abcABC \n]{0,40}",
        ) {
            let mut read: [u8; 256] = std::array::from_fn(|i| (i as u8).to_ascii_lowercase());
            read[usize::from(b'\n')] = b' ';
            let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let automaton = Automaton::new(&refs, &read).expect("small");
            proptest::prop_assert_eq!(
                all(&automaton, text.as_bytes()),
                naive(&refs, &read, text.as_bytes())
            );
        }
    }
}
