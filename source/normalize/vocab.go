package normalize

import "strings"

// Bool reads OkVet's yes/no vocabulary, including the reproductive-state
// words (Esterilizado / No esterilizado, sterilized / unsterilized) and the
// deceased column, which the UI fills with the date of death: any date
// reads as true. "unknow"/"desconocido" and anything else unrecognised fail
// with invalid_boolean so the caller decides; blank is false.
func Bool(raw string) (bool, error) {
	key := Fold(raw)
	switch key {
	case "":
		if IsBlank(raw) {
			return false, nil
		}
	case "si", "s", "1", "true", "t", "x", "yes", "y", "verdadero",
		"esterilizado", "esterilizada", "castrado", "castrada", "sterilized", "sterilised", "neutered", "spayed":
		return true, nil
	case "no", "n", "0", "false", "f", "falso",
		"no_esterilizado", "no_esterilizada", "no_castrado", "no_castrada",
		"unsterilized", "unsterilised", "not_sterilized", "entero", "entera", "intact":
		return false, nil
	case "unknow", "unknown", "desconocido", "desconocida", "no_sabe":
		return false, newErr(CodeInvalidBoolean, raw, "unknown")
	}
	// A date of death means yes. Bare numbers are not dates here: "2" is
	// an unexpected flag, not 1900-01-02.
	if s := Clean(raw); !bareNumber(s) {
		if st, reason := parseStamp(s); reason == "" && st.y >= minYear && st.y <= maxYear {
			return true, nil
		}
	}
	return false, newErr(CodeInvalidBoolean, raw, "not a yes/no value")
}

// Species values in recon's canonical enum.
const (
	SpeciesDog     = "dog"
	SpeciesCat     = "cat"
	SpeciesBird    = "bird"
	SpeciesRabbit  = "rabbit"
	SpeciesRodent  = "rodent"
	SpeciesReptile = "reptile"
	SpeciesHorse   = "horse"
	SpeciesFish    = "fish"
	SpeciesFerret  = "ferret"
	SpeciesPig     = "pig"
	SpeciesCattle  = "cattle"
	SpeciesOther   = "other"
)

// Species maps OkVet's species text (UI Spanish, dump English, free text)
// to the canonical enum. extra, the operator's mapping (folded key ->
// canonical or any known word), is consulted first. Unknown text gives
// "other", false so the caller can keep the raw value and flag it; blank
// gives "", true.
func Species(raw string, extra map[string]string) (canonical string, known bool) {
	key := Fold(raw)
	if key == "" {
		return "", true
	}
	if v, ok := extra[key]; ok {
		if c := species(Fold(v)); c != "" {
			return c, true
		}
	}
	if c := species(key); c != "" {
		return c, true
	}
	return SpeciesOther, false
}

func species(key string) string {
	switch key {
	case "dog", "dogs", "canine", "canino", "canina", "caninos", "perro", "perra", "perros", "can", "canis_lupus_familiaris":
		return SpeciesDog
	case "cat", "cats", "feline", "felino", "felina", "felinos", "gato", "gata", "gatos", "felis_catus":
		return SpeciesCat
	case "bird", "birds", "ave", "aves", "loro", "lora", "pajaro", "pajaros", "perico", "periquito", "canario", "psitacido":
		return SpeciesBird
	case "rabbit", "rabbits", "lagomorph", "lagomorpho", "lagomorfo", "conejo", "coneja", "conejos":
		return SpeciesRabbit
	case "rodent", "rodents", "roedor", "roedores", "hamster", "hamsters", "cobayo", "cobaya", "cuy", "cuyes",
		"guinea_pig", "conejillo_de_indias", "chinchilla", "rata", "raton", "jerbo", "gerbil":
		return SpeciesRodent
	case "reptile", "reptiles", "reptil", "tortuga", "iguana", "serpiente", "culebra", "lagarto", "gecko",
		"turtle", "tortoise", "snake", "lizard":
		return SpeciesReptile
	case "horse", "horses", "equine", "equino", "equina", "equinos", "caballo", "yegua", "potro":
		return SpeciesHorse
	case "fish", "pez", "peces":
		return SpeciesFish
	case "ferret", "ferrets", "huron", "hurona", "hurones":
		return SpeciesFerret
	case "pig", "pigs", "porcine", "porcino", "porcina", "cerdo", "cerda", "cerdos", "mini_pig", "minipig":
		return SpeciesPig
	case "cattle", "bovine", "bovino", "bovina", "bovinos", "vaca", "toro", "ternero", "ternera":
		return SpeciesCattle
	case "other", "otro", "otra", "otros":
		return SpeciesOther
	}
	return ""
}

// Sex maps Macho/Hembra and friends to male/female/unknown. A leading
// Macho/Hembra word counts ("Hembra esterilizada"). Blank and explicit
// "unknown" give "unknown", true; anything else, including the dumps'
// numeric gender_id whose meaning is unpublished, gives "unknown", false.
func Sex(raw string) (canonical string, known bool) {
	key := Fold(raw)
	switch key {
	case "", "unknown", "desconocido", "desconocida", "indeterminado", "indeterminada":
		return "unknown", true
	case "m", "male", "macho", "masculino":
		return "male", true
	case "h", "f", "female", "hembra", "femenino":
		return "female", true
	}
	first, _, _ := strings.Cut(key, "_")
	switch first {
	case "macho", "male":
		return "male", true
	case "hembra", "female":
		return "female", true
	}
	return "unknown", false
}

// DocumentType maps identity document types to cc, ce, pa, nit, ti, rc,
// pep, ppt, or none (OkVet's "Ninguno / Teléfono móvil", where the number
// field holds a mobile). Unknown types come back cleaned and lower-cased.
func DocumentType(raw string) string {
	switch Fold(raw) {
	case "":
		return ""
	case "cc", "c_c", "cedula", "cedula_de_ciudadania", "cedula_ciudadania", "ciudadania":
		return "cc"
	case "ce", "c_e", "cedula_de_extranjeria", "cedula_extranjeria", "extranjeria":
		return "ce"
	case "pa", "pp", "p_p", "pasaporte", "passport":
		return "pa"
	case "nit", "n_i_t":
		return "nit"
	case "ti", "t_i", "tarjeta_de_identidad", "tarjeta_identidad":
		return "ti"
	case "rc", "r_c", "registro_civil", "registro_civil_de_nacimiento":
		return "rc"
	case "pep", "permiso_especial_de_permanencia":
		return "pep"
	case "ppt", "permiso_por_proteccion_temporal", "permiso_de_proteccion_temporal":
		return "ppt"
	case "none", "ninguno", "ninguna", "telefono_movil", "ninguno_telefono_movil", "movil", "celular", "sin_documento":
		return "none"
	}
	return strings.ToLower(Clean(raw))
}

// AppointmentStatus maps UI and dump appointment states (the dumps'
// assistance column) to scheduled, confirmed, completed, cancelled or
// no_show. Unknown values come back cleaned with known=false.
func AppointmentStatus(raw string) (canonical string, known bool) {
	switch Fold(raw) {
	case "":
		return "", true
	case "scheduled", "programada", "programado", "pendiente", "pending", "preregistration", "pre_registration",
		"preregistro", "agendada", "agendado", "reservada":
		return "scheduled", true
	case "confirmed", "confirmada", "confirmado":
		return "confirmed", true
	case "completed", "atendida", "atendido", "attend", "attended", "asistio", "completada", "completado",
		"finalizada", "realizada":
		return "completed", true
	case "cancelled", "canceled", "cancelada", "cancelado", "deleted", "anulada", "anulado", "eliminada":
		return "cancelled", true
	case "no_show", "noshow", "no_asistio", "unattend", "unattended", "inasistencia", "no_se_presento":
		return "no_show", true
	}
	return Clean(raw), false
}
