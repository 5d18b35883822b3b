package source

import (
	"testing"
	"time"
)

// TestNormalizePetExtras: the report columns beside the main pet fields.
// A species given as "others" (not in the vocabulary) with the real one in especie_otra takes that
// one; a date of death with no deceased flag marks the pet deceased on
// that date; a placeholder in a field that is not text is an empty value
// with an info issue.
func TestNormalizePetExtras(t *testing.T) {
	pets, _ := TypeByName("pets")
	vals, issues := Normalize(pets, map[string]string{"especie": "Others", "especie_otra": "Felino",
		"fecha_fallecimiento": "03/04/2024", "peso": "N/A"}, nil, time.Time{})
	if got := vals["especie"]; got.Text != "cat" || !got.Valid {
		t.Errorf("especie = %+v, want cat from especie_otra", got)
	}
	dead := vals["fallecido"]
	if !dead.Valid || !dead.Bool || dead.Text != "true" || !dead.Time.Equal(time.Date(2024, 4, 3, 0, 0, 0, 0, dead.Time.Location())) {
		t.Errorf("fallecido = %+v, want true on 2024-04-03", dead)
	}
	if w := vals["peso"]; w.Valid {
		t.Errorf("peso = %+v, want empty", w)
	}
	if len(issues) != 1 || issues[0].Type != IssuePlaceholder || issues[0].Field != "peso" || issues[0].Value != "N/A" ||
		issues[0].Severity != SevInfo || issues[0].Message != "placeholder text treated as empty" {
		t.Errorf("issues %+v, want one placeholder info on peso", issues)
	}
	// An explicit deceased flag wins over the date.
	vals, _ = Normalize(pets, map[string]string{"fallecido": "No", "fecha_fallecimiento": "03/04/2024"}, nil, time.Time{})
	if f := vals["fallecido"]; !f.Valid || f.Bool {
		t.Errorf("fallecido No with a date = %+v, want false", f)
	}
}
