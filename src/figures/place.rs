//! Label placement for charts: rectangles, segments and a search for the nearest spot where a
//! label covers no line, point or other label. Pure geometry in viewBox units, so tests can check
//! a drawn chart with the same functions.

/// Average advance of a character as a fraction of the font size. Wide on purpose (DejaVu Sans,
/// a common fallback, sets digits at 0.64 em): a label that is thought wider than it is only
/// keeps more room around it.
const CHAR_EM: f64 = 0.64;
/// Space kept between a label and anything else.
pub const GAP: f64 = 2.0;

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

/// A straight piece of a line, from one point to another.
pub type Segment = ((f64, f64), (f64, f64));

impl Rect {
    /// The rectangle grown by `by` on every side.
    pub fn inflate(&self, by: f64) -> Rect {
        Rect {
            left: self.left - by,
            top: self.top - by,
            right: self.right + by,
            bottom: self.bottom + by,
        }
    }

    pub fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    pub fn contains(&self, (x, y): (f64, f64)) -> bool {
        x >= self.left && x <= self.right && y >= self.top && y <= self.bottom
    }

    fn within(&self, outer: &Rect) -> bool {
        self.left >= outer.left
            && self.right <= outer.right
            && self.top >= outer.top
            && self.bottom <= outer.bottom
    }

    /// Whether the segment passes through the rectangle (Liang–Barsky clipping).
    pub fn crosses(&self, ((x0, y0), (x1, y1)): Segment) -> bool {
        let (dx, dy) = (x1 - x0, y1 - y0);
        let mut range = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, x0 - self.left),
            (dx, self.right - x0),
            (-dy, y0 - self.top),
            (dy, self.bottom - y0),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else if p < 0.0 {
                range.0 = range.0.max(q / p);
            } else {
                range.1 = range.1.min(q / p);
            }
        }
        range.0 <= range.1
    }

    /// The point of the rectangle's outline nearest to `(x, y)`.
    fn nearest(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (
            x.clamp(self.left, self.right),
            y.clamp(self.top, self.bottom),
        )
    }
}

/// Estimated width of `text` at `font` size.
pub fn text_width(text: &str, font: f64) -> f64 {
    CHAR_EM * font * text.chars().count() as f64
}

/// The box a centred label covers, given its middle and baseline.
pub fn text_box(text: &str, font: f64, (x, baseline): (f64, f64)) -> Rect {
    let half = text_width(text, font) / 2.0;
    Rect {
        left: x - half,
        top: baseline - 0.8 * font,
        right: x + half,
        bottom: baseline + 0.25 * font,
    }
}

/// What labels must keep clear of.
#[derive(Default, Clone)]
pub struct Obstacles {
    /// Points, labels already placed.
    pub boxes: Vec<Rect>,
    /// Series lines, guides, leader lines.
    pub segments: Vec<Segment>,
}

impl Obstacles {
    fn free(&self, rect: &Rect, area: &Rect) -> bool {
        let padded = rect.inflate(GAP);
        padded.within(area)
            && !self.boxes.iter().any(|b| b.overlaps(&padded))
            && !self.segments.iter().any(|s| padded.crosses(*s))
    }

    /// A leader line may start inside its own point but must cross no other box.
    fn clear_path(&self, leader: Segment) -> bool {
        self.boxes
            .iter()
            .filter(|b| !b.contains(leader.0))
            .all(|b| !b.crosses(leader))
    }
}

/// A placed label: its middle and baseline, its box, and a leader line when it sits away from
/// its point.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub at: (f64, f64),
    pub rect: Rect,
    pub leader: Option<Segment>,
}

/// Directions tried around a point, most natural first: the four diagonals, the four sides,
/// then the eight between them.
const DIRECTIONS: [(f64, f64); 16] = [
    (-1.0, -1.0),
    (1.0, 1.0),
    (1.0, -1.0),
    (-1.0, 1.0),
    (0.0, -1.0),
    (0.0, 1.0),
    (1.0, 0.0),
    (-1.0, 0.0),
    (-0.5, -1.0),
    (0.5, 1.0),
    (0.5, -1.0),
    (-0.5, 1.0),
    (-1.0, -0.5),
    (1.0, 0.5),
    (1.0, -0.5),
    (-1.0, 0.5),
];
/// Distances tried from a point; beyond the first two a leader line ties the label to it.
const DISTANCES: [f64; 12] = [
    3.0, 8.0, 14.0, 22.0, 32.0, 44.0, 58.0, 74.0, 92.0, 112.0, 134.0, 160.0,
];

/// The nearest free spot for a label of `point` inside `area`; records it in `obstacles`.
pub fn near_point(
    point: (f64, f64),
    text: &str,
    font: f64,
    area: &Rect,
    obstacles: &mut Obstacles,
) -> Option<Placed> {
    let (w, h) = (text_width(text, font), 1.05 * font);
    for d in DISTANCES {
        for (dx, dy) in DIRECTIONS {
            let centre = (point.0 + dx * (w / 2.0 + d), point.1 + dy * (h / 2.0 + d));
            let at = (centre.0, centre.1 - h / 2.0 + 0.8 * font);
            let rect = text_box(text, font, at);
            if !obstacles.free(&rect, area) {
                continue;
            }
            let leader = (d > 8.0).then(|| (point, rect.inflate(1.0).nearest(point)));
            if leader.is_some_and(|l| !obstacles.clear_path(l)) {
                continue;
            }
            return Some(record(obstacles, Placed { at, rect, leader }));
        }
    }
    None
}

/// Labels for several points, each at the nearest free spot. Crowded points can block each
/// other in one order and not in another, so a few orders are tried and the first that places
/// every label wins (else the one that places most).
pub fn near_points(
    points: &[((f64, f64), &str)],
    font: f64,
    area: &Rect,
    obstacles: &mut Obstacles,
) -> Vec<Option<Placed>> {
    let n = points.len();
    let by_y = {
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|a, b| points[*a].0.1.total_cmp(&points[*b].0.1));
        order
    };
    let orders = [(0..n).collect(), (0..n).rev().collect(), by_y];
    let mut best: Option<(Vec<Option<Placed>>, Obstacles)> = None;
    for order in orders {
        let mut trial = obstacles.clone();
        let mut placed = vec![None; n];
        for i in order {
            let (point, text) = points[i];
            placed[i] = near_point(point, text, font, area, &mut trial);
        }
        let count = |p: &[Option<Placed>]| p.iter().flatten().count();
        if best.as_ref().is_none_or(|(b, _)| count(&placed) > count(b)) {
            best = Some((placed, trial));
        }
        if best.as_ref().is_some_and(|(b, _)| count(b) == n) {
            break;
        }
    }
    let (placed, after) = best.unwrap_or_default();
    *obstacles = after;
    placed
}

/// The lowest free spot beside a vertical line at `x`, from `bottom` up to `top`.
pub fn beside_line(
    x: f64,
    text: &str,
    font: f64,
    area: &Rect,
    obstacles: &mut Obstacles,
) -> Option<Placed> {
    let (w, h) = (text_width(text, font), 1.05 * font);
    let mut middle = area.bottom - GAP - h / 2.0;
    while middle - h / 2.0 >= area.top {
        for side in [1.0, -1.0] {
            let at = (x + side * (w / 2.0 + 4.0), middle - h / 2.0 + 0.8 * font);
            let rect = text_box(text, font, at);
            if obstacles.free(&rect, area) {
                let placed = Placed {
                    at,
                    rect,
                    leader: None,
                };
                return Some(record(obstacles, placed));
            }
        }
        middle -= h / 3.0;
    }
    None
}

fn record(obstacles: &mut Obstacles, placed: Placed) -> Placed {
    obstacles.boxes.push(placed.rect);
    if let Some(leader) = placed.leader {
        obstacles.segments.push(leader);
    }
    placed
}

#[cfg(test)]
/// Every pair of things that overlap: labels against each other, against points and against
/// lines. Tests run it on the geometry read back from a drawn chart.
pub fn collisions(labels: &[Rect], points: &[Rect], lines: &[Segment]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            if a.overlaps(b) {
                found.push(format!("label {a:?} overlaps label {b:?}"));
            }
        }
        for p in points.iter().filter(|p| a.overlaps(p)) {
            found.push(format!("label {a:?} covers point {p:?}"));
        }
        for l in lines.iter().filter(|l| a.crosses(**l)) {
            found.push(format!("label {a:?} crosses line {l:?}"));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: Rect = Rect {
        left: 0.0,
        top: 0.0,
        right: 200.0,
        bottom: 100.0,
    };

    #[test]
    fn segments_cross_rectangles_they_pass_through() {
        let r = Rect {
            left: 10.0,
            top: 10.0,
            right: 20.0,
            bottom: 20.0,
        };
        assert!(r.crosses(((0.0, 15.0), (30.0, 15.0))));
        assert!(r.crosses(((0.0, 0.0), (30.0, 30.0))));
        assert!(r.crosses(((12.0, 12.0), (13.0, 13.0))));
        assert!(!r.crosses(((0.0, 25.0), (30.0, 25.0))));
        assert!(!r.crosses(((0.0, 5.0), (5.0, 30.0))));
    }

    #[test]
    fn a_label_avoids_the_line_through_its_point() {
        let mut obstacles = Obstacles::default();
        // A rising diagonal through (100, 50): above-left and below-right are on the line's side.
        obstacles.segments.push(((0.0, 100.0), (200.0, 0.0)));
        let placed = near_point((100.0, 50.0), "11.2 req/s", 12.0, &AREA, &mut obstacles)
            .expect("room for one label");
        assert!(!placed.rect.crosses(((0.0, 100.0), (200.0, 0.0))));
        assert!(collisions(&[placed.rect], &[], &[((0.0, 100.0), (200.0, 0.0))]).is_empty());
    }

    #[test]
    fn crowded_points_get_separate_labels() {
        let mut obstacles = Obstacles::default();
        let points = [(90.0, 50.0), (95.0, 50.0), (100.0, 45.0), (104.0, 45.0)];
        for p in points {
            obstacles.boxes.push(Rect {
                left: p.0 - 4.0,
                top: p.1 - 4.0,
                right: p.0 + 4.0,
                bottom: p.1 + 4.0,
            });
        }
        let labels: Vec<Rect> = points
            .iter()
            .map(|p| {
                near_point(*p, "27.2 req/s", 12.0, &AREA, &mut obstacles)
                    .expect("placed")
                    .rect
            })
            .collect();
        let marks: Vec<Rect> = obstacles.boxes[..4].to_vec();
        assert_eq!(collisions(&labels, &marks, &[]), Vec::<String>::new());
    }

    #[test]
    fn no_room_means_no_label() {
        let mut obstacles = Obstacles::default();
        obstacles.boxes.push(AREA);
        assert_eq!(
            near_point((50.0, 50.0), "x", 12.0, &AREA, &mut obstacles),
            None
        );
    }
}
