//! Where the diagram draws things, in its own units (one unit is one CSS pixel at scale 1):
//! each host's box by its column and row (`layout`), the DNS directory above them, and the
//! route of a hop between two hosts. A route never crosses the box of a host it does not
//! connect: it leaves its host sideways into the gap between columns, runs along the lane
//! above the hosts when it must pass other columns, and comes down the gap beside its target.

use std::collections::BTreeMap;

use crate::player::layout::{Placed, Role};

/// A host's box: room for its picture, its label on up to two lines, its role, its letters.
/// Five columns of these fit the 800x500 embed at scale 1 (744 units wide).
pub const NODE_W: i32 = 120;
pub const NODE_H: i32 = 126;
/// Between columns: the lanes where hops turn.
pub const COL_GAP: i32 = 32;
/// Below a server that keeps a queue: the shelf, its letters and its next try.
pub const SHELF_H: i32 = 46;
/// Below any other host.
const ROW_GAP: i32 = 14;
const MARGIN: i32 = 8;
/// The DNS directory's band at the top, and the lane under it where long hops run and every
/// hop's label sits, above the hosts.
pub const DNS_H: i32 = 40;
const LANE_GAP: i32 = 30;

/// A point of the diagram.
pub type Point = (i32, i32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Frame {
    /// Whether the segment from `a` to `b` (horizontal or vertical) passes through the box.
    pub fn crossed_by(&self, a: Point, b: Point) -> bool {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        x1 > self.x && x0 < self.x + self.w && y1 > self.y && y0 < self.y + self.h
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Geometry {
    pub frames: BTreeMap<String, Frame>,
    pub width: i32,
    pub height: i32,
    /// The centre of the DNS directory.
    pub dns: Point,
    /// The lane long hops run along.
    lane: i32,
}

pub fn geometry(hosts: &[Placed]) -> Geometry {
    let top = DNS_H + LANE_GAP;
    // Only servers that queue (MSA, MTA) need room for a shelf under each host.
    let pitch = |h: &Placed| NODE_H + if matches!(h.role, Role::Msa | Role::Mta) { SHELF_H } else { ROW_GAP };
    let frames: BTreeMap<String, Frame> = hosts
        .iter()
        .map(|h| {
            let x = MARGIN + h.column as i32 * (NODE_W + COL_GAP);
            let y = top + h.row as i32 * pitch(h);
            (h.name.clone(), Frame { x, y, w: NODE_W, h: NODE_H })
        })
        .collect();
    let columns = hosts.iter().map(|h| h.column + 1).max().unwrap_or(1) as i32;
    let bottom = hosts.iter().map(|h| top + (h.row as i32 + 1) * pitch(h)).max().unwrap_or(top + NODE_H);
    let width = 2 * MARGIN + columns * NODE_W + (columns - 1) * COL_GAP;
    let height = bottom;
    Geometry { frames, width, height, dns: (width / 2, DNS_H / 2), lane: DNS_H + LANE_GAP / 2 }
}

impl Geometry {
    /// The route of a hop from `client` to `server`, as the corners of a line of horizontal
    /// and vertical segments; `None` for a host the diagram does not show.
    pub fn route(&self, client: &str, server: &str) -> Option<Vec<Point>> {
        let (a, b) = (self.frames.get(client)?, self.frames.get(server)?);
        // Where a hop meets a box: the middle of the picture's height.
        let mid = |f: &Frame| f.y + 34;
        let rightwards = b.x >= a.x;
        let (exit_x, gap_a) = if rightwards { (a.x + a.w, a.x + a.w + COL_GAP / 2) } else { (a.x, a.x - COL_GAP / 2) };
        let (entry_x, gap_b) = match b.x.cmp(&a.x) {
            std::cmp::Ordering::Greater => (b.x, b.x - COL_GAP / 2),
            std::cmp::Ordering::Less => (b.x + b.w, b.x + b.w + COL_GAP / 2),
            // One column: out and back in on the same side.
            std::cmp::Ordering::Equal => (b.x + b.w, gap_a),
        };
        let (start, end) = ((exit_x, mid(a)), (entry_x, mid(b)));
        let mut points = vec![start];
        if gap_a == gap_b {
            // Neighbours (or one column): across the gap between them.
            if start.1 != end.1 {
                points.push((gap_a, start.1));
                points.push((gap_a, end.1));
            }
        } else {
            // Further apart: up into the lane above every host, across, and down beside it.
            points.extend([(gap_a, start.1), (gap_a, self.lane), (gap_b, self.lane), (gap_b, end.1)]);
        }
        points.push(end);
        Some(points)
    }

    /// Where a hop's label goes: in the lane above the hosts, over the middle of the hop, so
    /// that it never covers a host, however short the hop.
    pub fn label_point(&self, route: &[Point]) -> Point {
        let (min, max) = route.iter().fold((i32::MAX, i32::MIN), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
        ((min + max) / 2, self.lane)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::presets;
    use crate::player::layout::layout;

    #[test]
    fn no_route_between_any_two_hosts_crosses_a_third_host() {
        for p in presets() {
            let scenario = p.scenario().unwrap();
            let hosts = layout(&scenario);
            let g = geometry(&hosts);
            for a in &hosts {
                for b in &hosts {
                    if a.name == b.name {
                        continue;
                    }
                    let route = g.route(&a.name, &b.name).unwrap();
                    for w in route.windows(2) {
                        assert!(w[0].0 == w[1].0 || w[0].1 == w[1].1, "{}: segments are straight: {route:?}", p.name);
                        for other in hosts.iter().filter(|h| h.name != a.name && h.name != b.name) {
                            assert!(
                                !g.frames[&other.name].crossed_by(w[0], w[1]),
                                "{}: {} → {} crosses {} ({route:?})",
                                p.name,
                                a.name,
                                b.name,
                                other.name
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn neighbours_are_joined_straight_and_far_hosts_go_round_over_the_top() {
        let scenario = crate::engine::scenario::preset("gave-up").unwrap().scenario().unwrap();
        let g = geometry(&layout(&scenario));
        let relay = g.route("smtp.northwind.test", "mx.southbay.test").unwrap();
        assert_eq!(relay.len(), 2, "one straight segment: {relay:?}");
        let lmtp = g.route("smtp.northwind.test", "mail.northwind.test").unwrap();
        assert!(lmtp.iter().any(|p| p.1 < g.frames["mx.southbay.test"].y), "over the MX, not through it: {lmtp:?}");
    }
}
