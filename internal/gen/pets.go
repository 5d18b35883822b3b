package gen

import (
	"context"
	"strconv"
)

var (
	yesNo       = []string{"Sí", "Sí", "No", "No", "SI", "NO", "si", "no"}
	consent     = []string{"Sí", "Sí", "Sí", "Sí", "Sí", "Sí", "No", "SI", "si", ""}
	sexes       = []string{"Macho", "Hembra"}
	blankNames  = []string{"", "  ", " "}
	sciChips    = []string{"9,85141E+14", "9.85141E+14", "9,8514E+14", "9.00012E+14", "9,56E+14"}
	deceased    = []string{"No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No", "Sí", ""}
	vetOrBlank  = append(append([]string{}, vets...), "")
	htmlPetName = "<script>alert(1)</script>"
)

func (g *Generator) pickSpecies() int {
	u := g.intn(1000)
	for k, w := range speciesWeights {
		if u < w {
			return k
		}
		u -= w
	}
	return 0
}

// mascotas.csv
func (g *Generator) genPets(ctx context.Context) error {
	tr, err := g.open(tblPets)
	if err != nil {
		return err
	}
	defer tr.close()
	n := g.rows[tiPets]
	g.petStatus = make([]uint8, n)
	g.petOwner = make([]int32, n)
	g.petGroup = make([]uint8, n)
	const (
		kEmptyName = iota + 1
		kEmptyNameUnknownOwner
		kUnknownOwner
		kRejectedOwner
		kUnknownSpecies
		kBadBirth
		kFutureBirth
		kSciChip
		kHTMLName
	)
	rates := []float64{0.008, 0.002, 0.007, 0.006, 0.010, 0.008, 0.007, 0.010, 0.003}
	for i := range n {
		if err := checkCtx(ctx, i); err != nil {
			return err
		}
		kind := g.pick(i, n, rates)
		owner := g.pickClient()
		ownerID := g.id(tiClients, owner)
		sp := speciesList[g.pickSpecies()]
		name := g.one(sp.names)
		speciesName, breed := sp.name, g.one(sp.breeds)
		birth := g.dateVal(RefDate.AddDate(-18, 0, 0), RefDate.AddDate(0, -1, 0))
		if g.chance(0.04) {
			birth = txt("")
		}
		chip := ""
		if g.chance(0.45) {
			chip = "9851410" + pad(g.intn(100_000_000), 8)
		}
		wt := int64(sp.weight[0] + g.intn(sp.weight[1]-sp.weight[0]+1))
		wst := g.style()
		if wst == 3 && wt >= 20 {
			wst = 2 // grams only for small animals
		}
		zeroWeight := g.chance(0.09)
		if zeroWeight {
			wt, wst = 0, 0
		}
		status := oImported
		switch kind {
		case kEmptyName:
			name, status = g.one(blankNames), oRejected
			g.hit(dPetEmptyName)
		case kEmptyNameUnknownOwner:
			name, status = g.one(blankNames), oRejected
			owner, ownerID = -1, g.unknownID(tiClients)
			g.hit(dPetEmptyNameUnknownOwner)
		case kUnknownOwner:
			owner, ownerID, status = -1, g.unknownID(tiClients), oOrphaned
			g.hit(dPetUnknownOwner)
		case kRejectedOwner:
			if r := g.pickRejectedClient(); r >= 0 {
				owner, ownerID = r, g.id(tiClients, r)
			} else {
				owner, ownerID = -1, g.unknownID(tiClients)
			}
			status = oOrphaned
			g.hit(dPetRejectedOwner)
		case kUnknownSpecies:
			speciesName, breed = g.one(unknownSpecies), g.one([]string{"", "Desconocida", "Mestizo"})
			g.hit(dPetUnknownSpecies)
		case kBadBirth:
			birth = txt(g.one(badDates))
			g.hit(dPetBadBirthDate)
		case kFutureBirth:
			if g.chance(0.3) {
				birth = date(ymd(2031, 1, 1), g.style())
			} else {
				birth = date(RefDate.AddDate(0, 0, 30+g.intn(1800)), g.style())
			}
			g.hit(dPetFutureBirthDate)
		case kSciChip:
			chip = g.one(sciChips)
			g.hit(dPetSciMicrochip)
		case kHTMLName:
			name = htmlPetName
			g.hit(dPetHTMLName)
		}
		if status == oImported {
			if g.cliStatus[owner] == cliDup {
				g.hit(dPetOwnerMerged)
			}
			if zeroWeight {
				g.hit(dPetZeroWeight)
			}
		}
		g.petStatus[i], g.petOwner[i], g.petGroup[i] = status, int32(owner), sp.group
		if status != oImported {
			g.badPets = append(g.badPets, int32(i))
		}
		g.count(tiPets, status)

		err := tr.emit(
			txt(g.id(tiPets, i)), txt(ownerID), txt(name), txt(speciesName), txt(breed), txt(g.one(sexes)),
			birth, weight(wt, wst), txt(g.one(petColors)), txt(chip), txt(g.one(yesNo)), txt(g.one(deceased)),
			txt(g.one(petNotes)),
		)
		if err != nil {
			return err
		}
	}
	return tr.commit()
}

// lot returns a vaccine lot number like "A23F0457".
func (g *Generator) lot() string {
	return string(rune('A'+g.intn(26))) + strconv.Itoa(18+g.intn(9)) + string(rune('A'+g.intn(26))) + pad(g.intn(10000), 4)
}
