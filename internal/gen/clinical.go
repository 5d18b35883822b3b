package gen

import "context"

var (
	placeholders = []string{".", "-", " . ", "-"}
	medNotes     = []string{"", "", "", "", "", "", "Propietario firma \"consentimiento\"", "Próximo control en 15 días", "Se envía fórmula por WhatsApp", "Paciente colaborador; sin sedación"}
	durations    = []int64{15, 20, 30, 30, 30, 45, 60}
)

// petRef resolves the pet column of a clinical row: an imported pet, an
// unknown id or a pet that was not imported (cascade).
type petRef struct {
	idx int // -1 when unknown
	id  string
}

func (g *Generator) goodPet() petRef {
	p := g.pickPet()
	return petRef{p, g.id(tiPets, p)}
}

func (g *Generator) unknownPet() petRef { return petRef{-1, g.unknownID(tiPets)} }

func (g *Generator) unmappedPet() petRef {
	if p := g.pickBadPet(); p >= 0 {
		return petRef{p, g.id(tiPets, p)}
	}
	return g.unknownPet()
}

// ownerID is the id_cliente written next to a pet: its raw owner, or a
// random client when the pet or its owner is unknown.
func (g *Generator) ownerID(p petRef) string {
	if p.idx >= 0 && g.petOwner[p.idx] >= 0 {
		return g.id(tiClients, int(g.petOwner[p.idx]))
	}
	return g.id(tiClients, g.pickClient())
}

func (g *Generator) description() string {
	s := g.one(complaints)
	switch g.intn(4) {
	case 0:
		s += ". " + g.one(examNotes)
	case 1:
		s += ".\n" + g.one(examNotes) // multi-line cell
	}
	return s
}

// historia_clinica.csv
func (g *Generator) genMedical(ctx context.Context) error {
	tr, err := g.open(tblMedical)
	if err != nil {
		return err
	}
	defer tr.close()
	n := g.rows[tiMedical]
	const (
		kBadDate = iota + 1
		kBadDateUnknownPet
		kUnknownPet
		kUnmappedPet
		kPlaceholder
		kHTML
	)
	rates := []float64{0.010, 0.001, 0.007, 0.008, 0.015, 0.003}
	for i := range n {
		if err := checkCtx(ctx, i); err != nil {
			return err
		}
		kind := g.pick(i, n, rates)
		pet := g.goodPet()
		fecha := g.dateVal(ymd(2016, 1, 1), RefDate)
		desc, diag, notes := g.description(), g.one(diagnoses), g.one(medNotes)
		status := oImported
		switch kind {
		case kBadDate:
			fecha, status = txt(g.one(badDates)), oRejected
			g.hit(dMedBadDate)
		case kBadDateUnknownPet:
			fecha, pet, status = txt(g.one(badDates)), g.unknownPet(), oRejected
			g.hit(dMedBadDateUnknownPet)
		case kUnknownPet:
			pet, status = g.unknownPet(), oOrphaned
			g.hit(dMedUnknownPet)
		case kUnmappedPet:
			pet, status = g.unmappedPet(), oOrphaned
			g.hit(dMedUnmappedPet)
		case kPlaceholder:
			diag = g.one(placeholders)
			g.hit(dMedPlaceholderDiagnosis)
		case kHTML:
			if g.chance(0.5) {
				desc = g.one(medicalHTML)
			} else {
				notes = g.one(medicalHTML)
			}
			g.hit(dMedHTMLText)
		}
		g.count(tiMedical, status)
		err := tr.emit(
			txt(g.id(tiMedical, i)), txt(pet.id), fecha, txt(g.one(medicalTypes)), txt(desc), txt(diag),
			txt(g.one(treatments)), txt(notes), txt(g.one(vetOrBlank)),
		)
		if err != nil {
			return err
		}
	}
	return tr.commit()
}

// vacunas.csv
func (g *Generator) genVaccines(ctx context.Context) error {
	tr, err := g.open(tblVaccines)
	if err != nil {
		return err
	}
	defer tr.close()
	n := g.rows[tiVaccines]
	const (
		kEmptyName = iota + 1
		kBadDate
		kEmptyNameUnmappedPet
		kUnknownPet
		kUnmappedPet
		kNextBefore
	)
	rates := []float64{0.008, 0.008, 0.001, 0.007, 0.007, 0.015}
	for i := range n {
		if err := checkCtx(ctx, i); err != nil {
			return err
		}
		kind := g.pick(i, n, rates)
		pet := g.goodPet()
		applied := g.dateBetween(ymd(2016, 1, 1), RefDate)
		appliedV := date(applied, g.style())
		next := txt("")
		if !g.chance(0.1) {
			next = date(applied.AddDate(0, 0, []int{21, 30, 180, 365, 365, 365}[g.intn(6)]), g.style())
		}
		status := oImported
		emptyName := false
		switch kind {
		case kEmptyName:
			emptyName, status = true, oRejected
			g.hit(dVacEmptyName)
		case kBadDate:
			appliedV, status = txt(g.one(badDates)), oRejected
			g.hit(dVacBadDate)
		case kEmptyNameUnmappedPet:
			emptyName, pet, status = true, g.unmappedPet(), oRejected
			g.hit(dVacEmptyNameUnmappedPet)
		case kUnknownPet:
			pet, status = g.unknownPet(), oOrphaned
			g.hit(dVacUnknownPet)
		case kUnmappedPet:
			pet, status = g.unmappedPet(), oOrphaned
			g.hit(dVacUnmappedPet)
		case kNextBefore:
			next = date(applied.AddDate(0, 0, -(30+g.intn(270))), g.style())
			g.hit(dVacNextBeforeApplied)
		}
		vaccine := g.one(dogVaccines)
		if pet.idx >= 0 {
			switch g.petGroup[pet.idx] {
			case 1:
				vaccine = g.one(catVaccines)
			case 2:
				vaccine = g.one(otherVaccines)
			}
		}
		if emptyName {
			vaccine = g.one(blankNames)
		}
		g.count(tiVaccines, status)
		err := tr.emit(
			txt(g.id(tiVaccines, i)), txt(pet.id), txt(vaccine), appliedV, next, txt(g.lot()),
			txt(g.one(vaccineLabs)), txt(g.one(vetOrBlank)),
		)
		if err != nil {
			return err
		}
	}
	return tr.commit()
}

// citas.csv
func (g *Generator) genAppointments(ctx context.Context) error {
	tr, err := g.open(tblAppointments)
	if err != nil {
		return err
	}
	defer tr.close()
	n := g.rows[tiAppointments]
	const (
		kUnknownPet = iota + 1
		kUnmappedPet
		kChainMismatch
		kUnknownStatus
		kClientMerged
	)
	rates := []float64{0.007, 0.007, 0.015, 0.010, 0.004}
	for i := range n {
		if err := checkCtx(ctx, i); err != nil {
			return err
		}
		kind := g.pick(i, n, rates)
		pet := g.goodPet()
		clientID := g.ownerID(pet)
		estado := g.one(appointmentStates)
		status := oImported
		switch kind {
		case kUnknownPet:
			pet, status = g.unknownPet(), oOrphaned
			clientID = g.ownerID(pet)
			g.hit(dAppUnknownPet)
		case kUnmappedPet:
			pet, status = g.unmappedPet(), oOrphaned
			clientID = g.ownerID(pet)
			g.hit(dAppUnmappedPet)
		case kChainMismatch:
			owner := g.surv(int(g.petOwner[pet.idx]))
			for {
				c := g.pickClient()
				if g.surv(c) != owner {
					clientID = g.id(tiClients, c)
					break
				}
			}
			g.hit(dAppChainMismatch)
		case kUnknownStatus:
			estado = g.one(unknownStates)
			g.hit(dAppUnknownStatus)
		case kClientMerged:
			// a pet whose owner row was merged; the appointment names the survivor
			for range 500 {
				p := g.pickPet()
				if o := g.petOwner[p]; g.cliStatus[o] == cliDup {
					pet = petRef{p, g.id(tiPets, p)}
					clientID = g.id(tiClients, g.surv(int(o)))
					g.hit(dAppClientMerged)
					break
				}
			}
		}
		g.count(tiAppointments, status)
		hour := 8 + g.intn(11)
		hora := pad(hour, 2) + ":" + []string{"00", "15", "30", "45"}[g.intn(4)]
		err := tr.emit(
			txt(g.id(tiAppointments, i)), txt(pet.id), txt(clientID),
			g.dateVal(ymd(2019, 1, 1), RefDate.AddDate(0, 0, 60)), txt(hora),
			num(durations[g.intn(len(durations))]), txt(g.one(appointmentReasons)), txt(estado),
			txt(g.one(vetOrBlank)), txt(g.one(appointmentNotes)),
		)
		if err != nil {
			return err
		}
	}
	return tr.commit()
}
