package fhirimport

import (
	"strconv"

	"outpost/chart"
	"outpost/fhir"
)

// vitalByLOINC maps the LOINC codes of vital signs to the chart's fields:
// the chart's own codes (chart/vitalcodes.go) and the other codes senders
// use for the same measurement.
var vitalByLOINC = func() map[string]chart.VitalField {
	m := map[string]chart.VitalField{}
	for _, f := range []chart.VitalField{chart.VitalSystolic, chart.VitalDiastolic, chart.VitalHeartRate,
		chart.VitalRespiratoryRate, chart.VitalTemperature, chart.VitalSpO2, chart.VitalWeight, chart.VitalHeight,
		chart.VitalPain, chart.VitalHeadCircumference} {
		if c, ok := chart.VitalLOINC(f); ok {
			m[c.LOINC] = f
		}
	}
	m["2708-6"] = chart.VitalSpO2              // Oxygen saturation in Arterial blood
	m["8331-1"] = chart.VitalTemperature       // Oral temperature
	m["8306-3"] = chart.VitalHeight            // Body height (lying)
	m["3141-9"] = chart.VitalWeight            // Body weight Measured
	m["8287-5"] = chart.VitalHeadCircumference // Head Occipital-frontal circumference by Tape measure
	m["8478-0"] = ""                           // mean blood pressure: no field
	return m
}()

// bloodPressurePanels hold systolic and diastolic as components.
var bloodPressurePanels = map[string]bool{chart.LOINCBloodPressurePanel: true, "55284-4": true}

const loincBMI = "39156-5"

// vitalReading is what one Observation adds to a vitals set.
type vitalReading struct {
	obs   []int // the resources it came from
	signs map[chart.VitalField]float64
}

// vitalsGroup is one VitalsRecord in the making: the observations of one
// encounter taken at one time.
type vitalsGroup struct {
	key       string
	encounter chart.RecordID
	takenAt   string
	takenBy   string
	readings  []*vitalReading
	bp        *vitalReading // lone systolic and diastolic observations, paired
}

// vitalFields reads the vital signs an observation holds; ok is false
// (with the reason) when it holds none the chart records.
func vitalFields(o *fhir.Observation) (map[chart.VitalField]float64, string, error) {
	code := ""
	for _, c := range o.Code.Coding {
		if c.System == chart.SystemLOINC || c.System == "" {
			if _, known := vitalByLOINC[c.Code]; known || bloodPressurePanels[c.Code] || c.Code == loincBMI {
				code = c.Code
				break
			}
		}
	}
	switch {
	case code == loincBMI:
		return nil, "a BMI: Outpost computes BMI from the weight and height of the same set; the reading is kept in the original JSON", nil
	case bloodPressurePanels[code]:
		out := map[chart.VitalField]float64{}
		for j := range o.Component {
			c := &o.Component[j]
			for _, cd := range c.Code.Coding {
				if f := vitalByLOINC[cd.Code]; f == chart.VitalSystolic || f == chart.VitalDiastolic {
					x, err := quantityValue(f, c.ValueQuantity)
					if err != nil {
						return nil, "", err
					}
					if c.ValueQuantity != nil {
						out[f] = x
					}
				}
			}
		}
		if len(out) == 0 {
			return nil, "a blood pressure panel with no systolic or diastolic value: kept in the original JSON", nil
		}
		return out, "", nil
	case code == "" || vitalByLOINC[code] == "":
		return nil, "a vital sign Outpost has no field for (" + conceptText(&o.Code) + "): kept in the original JSON", nil
	}
	f := vitalByLOINC[code]
	if o.ValueQuantity == nil {
		return nil, "a vital sign with no value: kept in the original JSON", nil
	}
	x, err := quantityValue(f, o.ValueQuantity)
	if err != nil {
		return nil, "", err
	}
	return map[chart.VitalField]float64{f: x}, "", nil
}

func quantityValue(f chart.VitalField, q *fhir.Quantity) (float64, error) {
	if q == nil {
		return 0, nil
	}
	x, err := strconv.ParseFloat(string(q.Value), 64)
	if err != nil {
		return 0, errNotNumber
	}
	return toCanonical(f, x, q.Code, q.Unit)
}

type mapError string

func (e mapError) Error() string { return string(e) }

const errNotNumber = mapError("the value is not a number")

// addVital files one vital-signs observation into its set.
func (m *mapper) addVital(i int, o *fhir.Observation) {
	signs, skip, err := vitalFields(o)
	switch {
	case err != nil:
		m.fail(i, "ucum-unit", err.Error())
		return
	case skip != "":
		m.skip(i, skip)
		return
	}
	takenAt := wallClock(effective(o))
	if takenAt == "" {
		m.fail(i, "clinical-rule", "the vital sign has no time (effective[x])")
		return
	}
	enc := m.encounterLink(i, o.Encounter)
	key := string(enc) + "|" + takenAt
	g := m.vitalGroups[key]
	if g == nil {
		g = &vitalsGroup{key: key, encounter: enc, takenAt: takenAt}
		m.vitalGroups[key] = g
		m.vitalOrder = append(m.vitalOrder, g)
	}
	if g.takenBy == "" && len(o.Performer) > 0 {
		g.takenBy = m.nameOf(i, &o.Performer[0])
	}
	_, sys := signs[chart.VitalSystolic]
	_, dia := signs[chart.VitalDiastolic]
	if len(signs) == 1 && (sys || dia) { // a lone component: pair it
		if g.bp == nil {
			g.bp = &vitalReading{signs: map[chart.VitalField]float64{}}
			g.readings = append(g.readings, g.bp)
		}
		for f, x := range signs {
			if _, dup := g.bp.signs[f]; dup {
				m.skip(i, "a second reading of the same vital sign at the same time: kept in the original JSON")
				return
			}
			g.bp.signs[f] = x
		}
		g.bp.obs = append(g.bp.obs, i)
		return
	}
	g.readings = append(g.readings, &vitalReading{obs: []int{i}, signs: signs})
}

// effective is an observation's time: effectiveDateTime, else the start
// of its period, else when it was issued.
func effective(o *fhir.Observation) string {
	switch {
	case o.EffectiveDateTime != "":
		return o.EffectiveDateTime
	case o.EffectivePeriod != nil && o.EffectivePeriod.Start != "":
		return o.EffectivePeriod.Start
	}
	return o.Issued
}

// finishVitals checks each set reading by reading, as the chart checks a
// vitals entry, so that a reading the chart refuses is left out alone
// (skipped, with the chart's reason) and the rest of its set is kept.
func (m *mapper) finishVitals() {
	for _, g := range m.vitalOrder {
		var signs chart.VitalSigns
		var accepted []int
		for _, rd := range g.readings {
			try := signs
			dup := false
			for f, x := range rd.signs {
				if _, had := try.Value(f); had {
					dup = true
				}
				x := x
				try.Set(f, &x)
			}
			if dup {
				for _, i := range rd.obs {
					m.skip(i, "a second reading of the same vital sign at the same time: kept in the original JSON")
				}
				continue
			}
			if err := m.checkVitals(try, g.takenAt); err != nil {
				// The source's own mistake (Synthea writes some blood
				// pressures with the diastolic above the systolic): the
				// chart never shows an impossible reading, and the report
				// says which and why; the original keeps it.
				for _, i := range rd.obs {
					m.skip(i, "not charted, the chart refuses the reading ("+chartMessage(err)+"): kept in the original JSON")
				}
				continue
			}
			signs = try
			accepted = append(accepted, rd.obs...)
		}
		if len(accepted) == 0 {
			continue
		}
		m.keepVitals(g, signs, accepted)
	}
}

func (m *mapper) keepVitals(g *vitalsGroup, signs chart.VitalSigns, accepted []int) {
	first := m.resource(accepted[0])
	id := m.ids(SourceKey("VitalsRecord", keyOf(m.g.Patient)+"|"+g.key))
	if panel, ok := m.panelOf[keyOf(first)]; ok {
		// The panel's own id: and the panel counts as imported with its set.
		id, first = m.ids(panel), m.resource(m.panels[panel])
		m.imported(m.panels[panel])
	}
	rec := chart.VitalsRecord{Meta: chart.Meta{ID: id, Origin: m.sourceRef(first)},
		EncounterID: g.encounter, TakenAt: g.takenAt,
		TakenByName: clip(g.takenBy, chart.MaxNameLen)}
	flags, err := m.normalizeVitals(&signs, g.takenAt)
	if err != nil { // cannot happen: each reading passed; kept safe
		for _, i := range accepted {
			m.failInvalid(i, "the vital sign", err)
		}
		return
	}
	rec.Signs, rec.Flags = signs, flags
	if rec.Flags == nil {
		rec.Flags = []chart.VitalFlag{}
	}
	m.recs.Vitals = append(m.recs.Vitals, rec)
	for _, i := range accepted {
		m.imported(i)
	}
}

// checkVitals runs the chart's vitals check on a copy of signs.
func (m *mapper) checkVitals(signs chart.VitalSigns, takenAt string) error {
	_, err := m.normalizeVitals(&signs, takenAt)
	return err
}

// normalizeVitals is the chart's own check (the one RecordVitals runs):
// the time may not be in the future, values must be possible, and they
// are flagged against the ranges for the patient's age that day.
func (m *mapper) normalizeVitals(signs *chart.VitalSigns, takenAt string) ([]chart.VitalFlag, error) {
	if _, err := chart.ValidateLocalDateTime("takenAt", "The time taken", takenAt, m.now, true); err != nil {
		return nil, err
	}
	born := m.recs.Patient.BirthDate
	if born != "" && born <= takenAt[:10] {
		return signs.CheckAt(chart.MetricUnits(), born, takenAt[:10])
	}
	return signs.Check(chart.MetricUnits())
}

// vitalsPanel notes which vitals set a panel's members belong to: the set
// takes the panel's id (Outpost's export writes each set as a panel, so a
// set read back keeps its id's source). The panel itself holds no value.
func (m *mapper) vitalsPanel(i int, o *fhir.Observation) {
	panel := keyOf(m.resource(i))
	for j := range o.HasMember {
		if res, ok := m.resolve(i, &o.HasMember[j]); ok {
			m.panelOf[keyOf(res)] = panel
		}
	}
	m.panels[panel] = i
	m.skip(i, reasonPanel)
}

const reasonPanel = "a vital-signs panel: its members are mapped one by one into a vitals set"
