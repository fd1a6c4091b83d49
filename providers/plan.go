package providers

// Plan is what must change at the provider for one record to hold its
// desired value: the decision controllers.ComputePlan makes, and the
// provider-access layer carries out. At most one of Create and Update is
// set; Delete lists the duplicates to remove.
type Plan struct {
	// Keep is the record that already holds the desired value, if any.
	Keep *Record
	// Create is the record to create when none exists.
	Create *Record
	// Update is an existing record to point at the desired value.
	Update *Record
	// Delete are extra records of the same name and type.
	Delete []Record
}

// Empty reports whether the plan changes nothing.
func (p Plan) Empty() bool {
	return p.Create == nil && p.Update == nil && len(p.Delete) == 0
}

// Writes counts the provider writes the plan takes.
func (p Plan) Writes() int {
	n := len(p.Delete)
	if p.Create != nil || p.Update != nil {
		n++
	}
	return n
}
