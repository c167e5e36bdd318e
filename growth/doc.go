// Package growth computes children's growth against the CDC 2000 growth
// charts: the z-score and percentile of a weight, length or stature, head
// circumference or BMI for age, or of a weight for length or stature, from
// CDC's LMS tables (embedded, byte-identical to CDC's files), and the
// percentile curves to draw. Pure and stdlib-only: it knows nothing of the
// chart store, and callers hand it measurements in kg and cm.
//
// The WHO 2006 standards CDC recommends under 24 months are not shipped:
// their terms do not allow redistribution (SOURCE.md, docs/GROWTH.md). Every
// series names its reference, "CDC 2000", so the chart says what it shows.
//
// Source: CDC. Use does not imply endorsement by CDC, HHS or the U.S.
// Government.
package growth
