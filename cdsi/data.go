package cdsi

import (
	"embed"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// The CDC's CDSi supporting data v4.64, upstream bytes (only renamed).
// Source: CDC. Use does not imply endorsement by CDC, HHS or the U.S. Government.
//
//go:embed data/*.xml
var dataFS embed.FS

type antigenXML struct {
	Series         []Series `xml:"series"`
	Immunity       immunity `xml:"immunity"`
	Contraindicate struct {
		VaccineGroup struct {
			Items []contraindication `xml:"contraindication"`
		} `xml:"vaccineGroup"`
		Vaccine struct {
			Items []contraindication `xml:"contraindication"`
		} `xml:"vaccine"`
	} `xml:"contraindications"`
}

type immunity struct {
	Clinical []struct {
		Code string `xml:"guidelineCode"`
	} `xml:"clinicalHistory"`
	BirthDate []struct {
		Date       string `xml:"immunityBirthDate"`
		Exclusions []struct {
			Code string `xml:"exclusionCode"`
		} `xml:"exclusion"`
	} `xml:"dateOfBirth"`
}

type contraindication struct {
	Code     string `xml:"observationCode"`
	Title    string `xml:"observationTitle"`
	BeginAge string `xml:"beginAge"`
	EndAge   string `xml:"endAge"`
	Vaccines []struct {
		CVX      string `xml:"cvx"`
		BeginAge string `xml:"beginAge"`
		EndAge   string `xml:"endAge"`
	} `xml:"contraindicatedVaccine"`
}

// Series is one antigen series of the supporting data.
type Series struct {
	Name           string   `xml:"seriesName"`
	TargetDisease  string   `xml:"targetDisease"`
	VaccineGroup   string   `xml:"vaccineGroup"`
	Type           string   `xml:"seriesType"`
	Equivalent     string   `xml:"equivalentSeriesGroups"`
	RequiredGender []string `xml:"requiredGender"`
	Select         struct {
		Default     string `xml:"defaultSeries"`
		ProductPath string `xml:"productPath"`
		GroupName   string `xml:"seriesGroupName"`
		Group       string `xml:"seriesGroup"`
		Priority    string `xml:"seriesPriority"`
		Preference  string `xml:"seriesPreference"`
		MinAgeStart string `xml:"minAgeToStart"`
		MaxAgeStart string `xml:"maxAgeToStart"`
	} `xml:"selectSeries"`
	Indications []struct {
		Code     string `xml:"observationCode>code"`
		BeginAge string `xml:"beginAge"`
		EndAge   string `xml:"endAge"`
	} `xml:"indication"`
	Doses []SeriesDose `xml:"seriesDose"`
}

// SeriesDose is one target dose of a series.
type SeriesDose struct {
	Number       string     `xml:"doseNumber"`
	Ages         []ageXML   `xml:"age"`
	Intervals    []interval `xml:"interval"`
	Allowable    []interval `xml:"allowableInterval"`
	Preferable   []vaccine  `xml:"preferableVaccine"`
	AllowableVax []vaccine  `xml:"allowableVaccine"`
	Inadvertent  []vaccine  `xml:"inadvertentVaccine"`
	Skips        []skip     `xml:"conditionalSkip"`
	Recurring    string     `xml:"recurringDose"`
	Seasonal     struct {
		Start string `xml:"startDate"`
		End   string `xml:"endDate"`
	} `xml:"seasonalRecommendation"`
	RequiredGender string `xml:"requiredGender"`
}

type ageXML struct {
	AbsMin, Min, EarliestRec, LatestRec, Max string
	Effective, Cessation                     string
}

func (a *ageXML) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var v struct {
		AbsMin      string `xml:"absMinAge"`
		Min         string `xml:"minAge"`
		EarliestRec string `xml:"earliestRecAge"`
		LatestRec   string `xml:"latestRecAge"`
		Max         string `xml:"maxAge"`
		Effective   string `xml:"effectiveDate"`
		Cessation   string `xml:"cessationDate"`
	}
	if err := d.DecodeElement(&v, &start); err != nil {
		return err
	}
	*a = ageXML(v)
	return nil
}

type interval struct {
	FromPrevious   string `xml:"fromPrevious"`
	FromTargetDose string `xml:"fromTargetDose"`
	FromMostRecent string `xml:"fromMostRecent"`
	FromObs        string `xml:"fromRelevantObs>code"`
	AbsMin         string `xml:"absMinInt"`
	Min            string `xml:"minInt"`
	EarliestRec    string `xml:"earliestRecInt"`
	LatestRec      string `xml:"latestRecInt"`
	Priority       string `xml:"intervalPriority"`
	Effective      string `xml:"effectiveDate"`
	Cessation      string `xml:"cessationDate"`
}

type vaccine struct {
	Type     string `xml:"vaccineType"`
	CVX      string `xml:"cvx"`
	BeginAge string `xml:"beginAge"`
	EndAge   string `xml:"endAge"`
	MVX      string `xml:"mvx"`
	Forecast string `xml:"forecastVaccineType"`
}

type skip struct {
	Context  string `xml:"context"`
	SetLogic string `xml:"setLogic"`
	Sets     []struct {
		ID         string      `xml:"setID"`
		Desc       string      `xml:"setDescription"`
		Effective  string      `xml:"effectiveDate"`
		Cessation  string      `xml:"cessationDate"`
		Logic      string      `xml:"conditionLogic"`
		Conditions []condition `xml:"condition"`
	} `xml:"set"`
}

type condition struct {
	Type         string `xml:"conditionType"`
	StartDate    string `xml:"startDate"`
	EndDate      string `xml:"endDate"`
	BeginAge     string `xml:"beginAge"`
	EndAge       string `xml:"endAge"`
	Interval     string `xml:"interval"`
	DoseCount    string `xml:"doseCount"`
	DoseType     string `xml:"doseType"`
	CountLogic   string `xml:"doseCountLogic"`
	VaccineTypes string `xml:"vaccineTypes"`
	SeriesGroups string `xml:"seriesGroups"`
}

type scheduleXML struct {
	LiveVirus []struct {
		Previous string `xml:"previous>cvx"`
		Current  string `xml:"current>cvx"`
		Begin    string `xml:"conflictBeginInterval"`
		MinEnd   string `xml:"minConflictEndInterval"`
		End      string `xml:"conflictEndInterval"`
	} `xml:"liveVirusConflicts>liveVirusConflict"`
	Groups []struct {
		Name string `xml:"name"`
		Full string `xml:"administerFullVaccineGroup"`
	} `xml:"vaccineGroups>vaccineGroup"`
	GroupMap []struct {
		Name     string   `xml:"name"`
		Antigens []string `xml:"antigen"`
	} `xml:"vaccineGroupToAntigenMap>vaccineGroupMap"`
	CVXMap []struct {
		CVX   string `xml:"cvx"`
		Short string `xml:"shortDescription"`
		Assoc []struct {
			Antigen  string `xml:"antigen"`
			BeginAge string `xml:"associationBeginAge"`
			EndAge   string `xml:"associationEndAge"`
		} `xml:"association"`
	} `xml:"cvxToAntigenMap>cvxMap"`
	Observations []struct {
		Code  string `xml:"observationCode"`
		Title string `xml:"observationTitle"`
	} `xml:"observations>observation"`
}

// Data is the parsed supporting data.
type Data struct {
	Antigens map[string]*antigenXML // by antigen name (series' targetDisease)
	Schedule scheduleXML
	groupOf  map[string]string // antigen -> vaccine group
	// Indexes by normalised CVX (no leading zeros), built once: the engine
	// asks them for every dose of every patient.
	liveByCurrent map[string][]int // CVX given now -> LiveVirus entries
	cvxIndex      map[string]int   // CVX -> CVXMap entry
}

var (
	loadOnce sync.Once
	loaded   *Data
	loadErr  error
)

// Supporting returns the embedded supporting data, parsed once.
func Supporting() (*Data, error) {
	loadOnce.Do(func() { loaded, loadErr = parseData() })
	return loaded, loadErr
}

func parseData() (*Data, error) {
	d := &Data{Antigens: map[string]*antigenXML{}, groupOf: map[string]string{}}
	raw, err := dataFS.ReadFile("data/schedule.xml")
	if err != nil {
		return nil, fmt.Errorf("cdsi: schedule data: %w", err)
	}
	if err := xml.Unmarshal(raw, &d.Schedule); err != nil {
		return nil, fmt.Errorf("cdsi: schedule data: %w", err)
	}
	for _, g := range d.Schedule.GroupMap {
		for _, a := range g.Antigens {
			d.groupOf[a] = g.Name
		}
	}
	d.liveByCurrent, d.cvxIndex = map[string][]int{}, map[string]int{}
	for i := range d.Schedule.LiveVirus {
		c := &d.Schedule.LiveVirus[i]
		c.Previous, c.Current = normCVX(c.Previous), normCVX(c.Current)
		d.liveByCurrent[c.Current] = append(d.liveByCurrent[c.Current], i)
	}
	for i := range d.Schedule.CVXMap {
		m := &d.Schedule.CVXMap[i]
		m.CVX = normCVX(m.CVX)
		d.cvxIndex[m.CVX] = i
	}
	names, _ := dataFS.ReadDir("data")
	for _, n := range names {
		if !strings.HasPrefix(n.Name(), "antigen-") {
			continue
		}
		raw, err := dataFS.ReadFile("data/" + n.Name())
		if err != nil {
			return nil, fmt.Errorf("cdsi: %s: %w", n.Name(), err)
		}
		var a antigenXML
		if err := xml.Unmarshal(raw, &a); err != nil {
			return nil, fmt.Errorf("cdsi: %s: %w", n.Name(), err)
		}
		if len(a.Series) == 0 {
			return nil, fmt.Errorf("cdsi: %s: no series", n.Name())
		}
		d.Antigens[a.Series[0].TargetDisease] = &a
	}
	return d, nil
}

// VaccineGroups lists the vaccine groups in the schedule's order.
func (d *Data) VaccineGroups() []string {
	var out []string
	for _, g := range d.Schedule.GroupMap {
		out = append(out, g.Name)
	}
	return out
}

func (d *Data) antigensOf(group string) []string {
	for _, g := range d.Schedule.GroupMap {
		if g.Name == group {
			a := append([]string(nil), g.Antigens...)
			sort.Strings(a)
			return a
		}
	}
	return nil
}

func (d *Data) fullGroup(group string) bool {
	for _, g := range d.Schedule.Groups {
		if g.Name == group {
			return strings.EqualFold(strings.TrimSpace(g.Full), "Yes")
		}
	}
	return false
}
