package chart

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Typical ranges of vital signs depend on age: a heart rate of 130 is
// normal for a 13-month-old and fast for an adult. The ranges are data,
// with their sources, in vitalranges.json; the possible ranges that refuse
// a mistyped reading stay in vitalSpecs and do not depend on age.

//go:embed vitalranges.json
var vitalRangesJSON []byte

// VitalRanges is the parsed, validated table of typical ranges by age.
type VitalRanges struct {
	BMIFromYears int               `json:"bmiFromYears"`
	Sources      map[string]string `json:"sources"`
	Bands        []AgeBand         `json:"bands"`
}

// AgeBand is one age group and its typical ranges.
type AgeBand struct {
	ID   string `json:"id"`
	From string `json:"from"` // "28d" or "1y": the age the band starts at
	// Phrase completes "the typical …": "adult range", "range for a
	// toddler (1 to 2 years)".
	Phrase string                      `json:"phrase"`
	Ranges map[VitalField]TypicalRange `json:"ranges"`

	fromDays, fromYears int
}

// TypicalRange is a resting range and the key of its source.
type TypicalRange struct {
	Low    float64 `json:"low"`
	High   float64 `json:"high"`
	Source string  `json:"source"`
}

// DefaultVitalRanges returns the table shipped in the binary; a test loads
// the same file, so the error is never expected.
var DefaultVitalRanges = sync.OnceValues(func() (*VitalRanges, error) {
	return LoadVitalRanges(vitalRangesJSON)
})

// LoadVitalRanges parses and validates a ranges table.
func LoadVitalRanges(data []byte) (*VitalRanges, error) {
	var doc struct {
		Version int    `json:"version"`
		Comment string `json:"_comment"`
		VitalRanges
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse vital ranges: %w", err)
	}
	if doc.Version != 1 {
		return nil, fmt.Errorf("vital ranges version %d is not supported (want 1)", doc.Version)
	}
	r := doc.VitalRanges
	if err := r.validate(); err != nil {
		return nil, fmt.Errorf("invalid vital ranges: %w", err)
	}
	return &r, nil
}

func (r *VitalRanges) validate() error {
	if len(r.Bands) == 0 || r.Bands[0].From != "0d" {
		return errors.New("the first band must start at birth (0d)")
	}
	if r.BMIFromYears < 0 {
		return errors.New("bmiFromYears is negative")
	}
	prev := -1
	for i := range r.Bands {
		b := &r.Bands[i]
		if err := b.parseFrom(); err != nil {
			return err
		}
		if start := b.fromDays + b.fromYears*366; start <= prev {
			return fmt.Errorf("band %q does not start after the one before it", b.ID)
		} else {
			prev = start
		}
		if strings.TrimSpace(b.ID) == "" || strings.TrimSpace(b.Phrase) == "" {
			return fmt.Errorf("band %d needs an id and a phrase", i)
		}
		for f, rg := range b.Ranges {
			if s := specFor(f); s == nil {
				return fmt.Errorf("band %q: no vital sign called %q", b.ID, f)
			} else if rg.Low > rg.High || rg.Low < s.MinPossible || rg.High > s.MaxPossible {
				return fmt.Errorf("band %q: %s range %v–%v is reversed or outside what is possible", b.ID, f, rg.Low, rg.High)
			}
			if r.Sources[rg.Source] == "" {
				return fmt.Errorf("band %q: %s cites no known source (%q)", b.ID, f, rg.Source)
			}
		}
	}
	return nil
}

// parseFrom reads "28d" (days since birth) or "1y" (birthdays).
func (b *AgeBand) parseFrom() error {
	n, err := strconv.Atoi(b.From[:max(len(b.From)-1, 0)])
	switch {
	case err != nil || n < 0:
	case strings.HasSuffix(b.From, "d") && n < 366:
		b.fromDays = n
		return nil
	case strings.HasSuffix(b.From, "y") && n > 0:
		b.fromYears = n
		return nil
	}
	return fmt.Errorf("band %q: from %q must be days (28d, under a year) or years (1y)", b.ID, b.From)
}

// BandFor returns the band for a patient born on birthDate (YYYY-MM-DD)
// whose vitals were taken on day (YYYY-MM-DD). It refuses a day before
// the birth: the time taken or the date of birth is wrong.
func (r *VitalRanges) BandFor(birthDate, day string) (*AgeBand, error) {
	born, err1 := time.Parse(time.DateOnly, birthDate)
	on, err2 := time.Parse(time.DateOnly, day)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("age band: dates %q and %q must be YYYY-MM-DD", birthDate, day)
	}
	if on.Before(born) {
		return nil, FieldError("takenAt", "The vitals are dated %s, before the patient's date of birth (%s); please check the time taken.",
			isoLongDate(day), isoLongDate(birthDate))
	}
	days := int(on.Sub(born).Hours() / 24)
	years := Age(birthDate, on)
	band := &r.Bands[0]
	for i := range r.Bands {
		b := &r.Bands[i]
		if (b.fromYears > 0 && years >= b.fromYears) || (b.fromYears == 0 && days >= b.fromDays) {
			band = b
		}
	}
	return band, nil
}

// Adult returns the last band (the adult ranges).
func (r *VitalRanges) Adult() *AgeBand { return &r.Bands[len(r.Bands)-1] }

// bmiApplies reports whether BMI is computed at this age: it is not used
// under 2 years (weight-for-length instead).
func (r *VitalRanges) bmiApplies(birthDate, day string) bool {
	on, err := time.Parse(time.DateOnly, day)
	return err != nil || Age(birthDate, on) >= r.BMIFromYears
}
