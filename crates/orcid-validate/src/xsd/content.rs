//! Content models as Glushkov automata: each element particle is a
//! position; `first`, `follow` and `last` sets give the legal next elements.
//! XSD's Unique Particle Attribution makes them deterministic, so matching a
//! child is one lookup. Built once per complex type and cached.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use orcid_model::schema::{Content, ElementDecl, Particle, Term};

use super::Schema;

/// The automaton of one complex type's element content.
#[derive(Debug, Default)]
pub struct Automaton {
    /// Element declaration of each position.
    pub positions: Vec<ElementDecl>,
    /// Whether a position's particle may repeat (for XPath indices).
    pub repeatable: Vec<bool>,
    /// Positions that may start the content.
    pub first: Vec<usize>,
    /// Positions that may follow each position.
    pub follow: Vec<Vec<usize>>,
    /// Positions that may end the content.
    pub last: BTreeSet<usize>,
    /// Whether the content may be empty.
    pub nullable: bool,
    /// For each position, which of the content's distinct element names it
    /// has (`0..names`): children are counted by name, for XPath and node
    /// indices, and positions may share a name.
    pub name_slot: Vec<usize>,
    /// How many distinct element names the content has.
    pub names: usize,
}

struct Sets {
    nullable: bool,
    first: BTreeSet<usize>,
    last: BTreeSet<usize>,
}

impl Automaton {
    fn build(p: &Particle) -> Automaton {
        let mut a = Automaton::default();
        let s = a.walk(p, false);
        a.first = s.first.into_iter().collect();
        a.last = s.last;
        a.nullable = s.nullable;
        for f in &mut a.follow {
            f.sort_unstable();
            f.dedup();
        }
        for p in 0..a.positions.len() {
            let (ns, local) = (a.positions[p].ns, a.positions[p].local);
            let slot =
                match (0..p).find(|&q| a.positions[q].ns == ns && a.positions[q].local == local) {
                    Some(q) => a.name_slot[q],
                    None => {
                        a.names += 1;
                        a.names - 1
                    }
                };
            a.name_slot.push(slot);
        }
        a
    }

    fn walk(&mut self, p: &Particle, outer_repeat: bool) -> Sets {
        let repeat = p.max.is_none_or(|m| m > 1);
        let mut s = match p.term {
            Term::Element(decl) => {
                let i = self.positions.len();
                self.positions.push(decl);
                self.repeatable.push(repeat || outer_repeat);
                self.follow.push(Vec::new());
                Sets {
                    nullable: false,
                    first: [i].into(),
                    last: [i].into(),
                }
            }
            Term::Sequence(children) => {
                let parts: Vec<Sets> = children
                    .iter()
                    .map(|c| self.walk(c, repeat || outer_repeat))
                    .collect();
                let mut nullable = true;
                let mut first = BTreeSet::new();
                for c in &parts {
                    first.extend(c.first.iter().copied());
                    if !c.nullable {
                        nullable = false;
                        break;
                    }
                }
                let mut last = BTreeSet::new();
                for c in parts.iter().rev() {
                    last.extend(c.last.iter().copied());
                    if !c.nullable {
                        break;
                    }
                }
                for i in 0..parts.len() {
                    let mut next = BTreeSet::new();
                    for c in &parts[i + 1..] {
                        next.extend(c.first.iter().copied());
                        if !c.nullable {
                            break;
                        }
                    }
                    for &x in &parts[i].last {
                        self.follow[x].extend(next.iter().copied());
                    }
                }
                Sets {
                    nullable,
                    first,
                    last,
                }
            }
            Term::Choice(children) => {
                let parts: Vec<Sets> = children
                    .iter()
                    .map(|c| self.walk(c, repeat || outer_repeat))
                    .collect();
                let mut s = Sets {
                    nullable: parts.is_empty(),
                    first: BTreeSet::new(),
                    last: BTreeSet::new(),
                };
                for c in parts {
                    s.nullable |= c.nullable;
                    s.first.extend(c.first);
                    s.last.extend(c.last);
                }
                s
            }
        };
        if repeat {
            for &x in &s.last {
                let add: Vec<usize> = s.first.iter().copied().collect();
                self.follow[x].extend(add);
            }
        }
        if p.min == 0 {
            s.nullable = true;
        }
        s
    }

    /// Positions allowed after `state` (`None`: at the start).
    pub fn next(&self, state: Option<usize>) -> &[usize] {
        match state {
            None => &self.first,
            Some(p) => &self.follow[p],
        }
    }

    /// Whether the content may end in `state`.
    pub fn accepts(&self, state: Option<usize>) -> bool {
        match state {
            None => self.nullable,
            Some(p) => self.last.contains(&p),
        }
    }

    /// The position matching an element name among `candidates`.
    pub fn find(&self, candidates: &[usize], ns: Option<u16>, local: &str) -> Option<usize> {
        candidates
            .iter()
            .copied()
            .find(|&p| self.positions[p].ns == ns && self.positions[p].local == local)
    }

    /// Any position with that element name (for error recovery).
    pub fn find_anywhere(&self, ns: Option<u16>, local: &str) -> Option<usize> {
        (0..self.positions.len())
            .find(|&p| self.positions[p].ns == ns && self.positions[p].local == local)
    }
}

/// The automaton of complex type `idx` (`None` when it has no element content).
pub fn automaton(schema: &Schema, idx: u16) -> Option<&'static Automaton> {
    static ALL: [OnceLock<Vec<Option<Automaton>>>; 2] = [OnceLock::new(), OnceLock::new()];
    let all = ALL[schema.slot()].get_or_init(|| {
        schema
            .complex_types
            .iter()
            .map(|t| match t.content {
                Content::Elements(p) => Some(Automaton::build(p)),
                _ => None,
            })
            .collect()
    });
    all.get(usize::from(idx)).and_then(Option::as_ref)
}
