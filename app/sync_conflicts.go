package app

import (
	"encoding/json"
	"time"

	"outpost/chart"
)

// conflictsWhat names the Conflicts screen's backend in errors.
const conflictsWhat = "show sync conflicts"

func conflictDTO(c chart.RecordConflict) ConflictDTO {
	d := ConflictDTO{RecordID: c.RecordID, Kind: c.Kind, PatientID: string(c.PatientID), PatientName: c.PatientName,
		RecordLabel: c.RecordLabel, Field: c.Field, Shown: conflictValueDTO(c.Shown), Others: make([]ConflictValueDTO, 0, len(c.Others)),
		AgainstSigned: c.AgainstSigned}
	for _, o := range c.Others {
		d.Others = append(d.Others, conflictValueDTO(o))
	}
	return d
}

func conflictValueDTO(v chart.ConflictValue) ConflictValueDTO {
	d := ConflictValueDTO{DeviceID: string(v.DeviceID), DeviceName: v.DeviceName, UserID: string(v.UserID),
		UserName: v.UserName}
	if len(v.Value) > 0 { // an empty value (a cleared field) is null
		d.Value = v.Value
	}
	if !v.At.IsZero() {
		d.At = v.At.UTC().Format(time.RFC3339)
	}
	return d
}

// resolution turns the frontend's choice into the store's; a merged value
// travels as any JSON value and is re-encoded as such.
func resolution(r ResolutionDTO) (chart.Resolution, error) {
	res := chart.Resolution{RecordID: r.RecordID, Kind: r.Kind, Field: r.Field, Choice: r.Choice, OtherIndex: r.OtherIndex,
		ConfirmEmpty: r.ConfirmEmpty}
	if r.Value != nil {
		b, err := json.Marshal(r.Value)
		if err != nil {
			return res, chart.FieldError("value", "The merged value could not be read. Write it again.")
		}
		res.Value = b
	}
	return res, nil
}
