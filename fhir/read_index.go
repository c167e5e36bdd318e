package fhir

// objIndex is where the members of a JSON value's objects are, for the
// objects at its first indexedDepth levels: the validator records it as it
// checks a Bundle entry (validEnd), and the scanner's members then visits
// those objects' members without walking their bytes again. A Bundle
// entry's own members (fullUrl, resource, request) and its resource's
// (resourceType, id, subject…) are what the reader picks out of it
// (bundleEntry): without the index that was a second walk of every entry
// after the validator's.
//
// Offsets are from the start of the value. An index holds only for the
// bytes it was made from, and only while they are valid JSON.
type objIndex struct {
	objects []indexedObject
	members []indexedMember
}

// indexedDepth is how deep objects are indexed: the value itself (a Bundle
// entry) and the objects that are its members' values (its resource).
const indexedDepth = 2

type indexedObject struct {
	start, end int // the opening brace; just past the closing one
}

// indexedMember is one member of objects[obj]: where its key's opening
// quote is, where its value starts and where it ends. Members are listed
// in the order their values end, so an object's own are in its order.
type indexedMember struct {
	obj, key, value, end int
}

func (x *objIndex) reset() {
	x.objects, x.members = x.objects[:0], x.members[:0]
}

// open records an object starting at offset start; its number.
func (x *objIndex) open(start int) int {
	x.objects = append(x.objects, indexedObject{start: start, end: -1})
	return len(x.objects) - 1
}

// object is the number of the whole object indexed at offset start; false
// when there is none.
func (x *objIndex) object(start int) (int, bool) {
	if x == nil {
		return 0, false
	}
	for i, o := range x.objects {
		if o.start == start && o.end >= 0 {
			return i, true
		}
	}
	return 0, false
}
