package growth

// ChartID names one CDC 2000 chart.
type ChartID string

// The charts of the two CDC sets: birth to 36 months (recumbent length)
// and 2 to 20 years (standing height).
const (
	WeightForAgeInfant ChartID = "weight-age-infant"
	LengthForAge       ChartID = "length-age-infant"
	HeadForAge         ChartID = "head-age-infant"
	WeightForLength    ChartID = "weight-length-infant"
	WeightForAge       ChartID = "weight-age"
	StatureForAge      ChartID = "stature-age"
	BMIForAge          ChartID = "bmi-age"
	WeightForStature   ChartID = "weight-stature"
)

// Measure is what a chart plots on its vertical axis.
type Measure string

const (
	MeasureWeight Measure = "weight" // kg
	MeasureLength Measure = "length" // cm: recumbent length or stature
	MeasureHead   Measure = "head"   // cm: head circumference
	MeasureBMI    Measure = "bmi"    // kg/m²
)

// Axis is what a chart plots on its horizontal axis.
type Axis string

const (
	AxisAge    Axis = "age"    // months
	AxisLength Axis = "length" // cm
)

// Chart describes one chart: its CDC file and how to read it.
type Chart struct {
	ID      ChartID `json:"id"`
	Title   string  `json:"title"`
	Ages    string  `json:"ages"` // the set: "birth to 36 months", "2 to 20 years"
	File    string  `json:"file"`
	Axis    Axis    `json:"axis"`
	Measure Measure `json:"measure"`
	XLabel  string  `json:"xLabel"`
	XUnit   string  `json:"xUnit"`
	YLabel  string  `json:"yLabel"`
	YUnit   string  `json:"yUnit"`
}

const (
	infantAges = "birth to 36 months"
	childAges  = "2 to 20 years"
)

var charts = []Chart{
	{WeightForAgeInfant, "Weight-for-age", infantAges, "wtageinf.csv", AxisAge, MeasureWeight, "Age", "months", "Weight", "kg"},
	{LengthForAge, "Length-for-age", infantAges, "lenageinf.csv", AxisAge, MeasureLength, "Age", "months", "Length", "cm"},
	{HeadForAge, "Head circumference-for-age", infantAges, "hcageinf.csv", AxisAge, MeasureHead, "Age", "months", "Head circumference", "cm"},
	{WeightForLength, "Weight-for-length", infantAges, "wtleninf.csv", AxisLength, MeasureWeight, "Length", "cm", "Weight", "kg"},
	{WeightForAge, "Weight-for-age", childAges, "wtage.csv", AxisAge, MeasureWeight, "Age", "months", "Weight", "kg"},
	{StatureForAge, "Stature-for-age", childAges, "statage.csv", AxisAge, MeasureLength, "Age", "months", "Stature", "cm"},
	{BMIForAge, "BMI-for-age", childAges, "bmiagerev.csv", AxisAge, MeasureBMI, "Age", "months", "BMI", "kg/m²"},
	{WeightForStature, "Weight-for-stature", childAges, "wtstat.csv", AxisLength, MeasureWeight, "Stature", "cm", "Weight", "kg"},
}

// Charts lists every chart, the birth-to-36-months set first.
func Charts() []Chart { return append([]Chart(nil), charts...) }

// ChartFor returns the chart called id.
func ChartFor(id ChartID) (Chart, bool) {
	for _, c := range charts {
		if c.ID == id {
			return c, true
		}
	}
	return Chart{}, false
}

// axisColumn is the CDC file's column for the horizontal axis.
func (c Chart) axisColumn() string {
	switch c.File {
	case "wtleninf.csv":
		return "Length"
	case "wtstat.csv":
		return "Height"
	}
	return "Agemos"
}

// Reference names the reference every chart here uses; the chart says it.
const (
	Reference   = "CDC 2000"
	Attribution = "Source: CDC. Use does not imply endorsement by CDC, HHS or the U.S. Government."
)

// Percentiles are the curves CDC draws on its clinical charts.
var Percentiles = []float64{3, 5, 10, 25, 50, 75, 90, 95, 97}
