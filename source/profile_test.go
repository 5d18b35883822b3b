package source

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProfileDetection(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		header  string
		opts    Options
		profile string
		types   string
		wantErr error
	}{
		{"seed clients", "clientes.csv", "id,nombre,telefono,celular,email,direccion,ciudad", Options{}, ProfileSeed, "clients", nil},
		{"seed clients, accents and case", "clientes.csv", "ID,Nombre,Teléfono,Correo Electrónico,Dirección", Options{}, ProfileSeed, "clients", nil},
		{"seed pets named by headers only", "export1.csv", "id,id_cliente,nombre,especie,raza", Options{}, ProfileSeed, "pets", nil},
		{"pets in a file named clientes", "clientes.csv", "id,id_cliente,nombre,especie", Options{}, ProfileSeed, "pets", nil},
		{"file name breaks a tie", "productos_2024.csv", "id,nombre", Options{}, ProfileSeed, "products", nil},
		{"tie without a name", "datos.csv", "id,nombre", Options{}, "", "", ErrAmbiguous},
		{"forced type breaks a tie", "datos.csv", "id,nombre", Options{Type: "products"}, ProfileSeed, "products", nil},
		{"forced profile", "clientes.csv", "id,nombre", Options{Profile: ProfileDump}, ProfileDump, "clients", nil},
		{"products screen has no id", "productos.csv", "Ref.,Grupo,Categoría,Nombre,Tipo,Inv.,Disponibles,P.V.,Impuestos,Creado", Options{}, "", "", ErrMissing},
		{"products screen with Ref. mapped to id", "productos.csv", "Ref.,Grupo,Categoría,Nombre,Tipo,Inv.,Disponibles,P.V.,Impuestos,Creado",
			Options{Mapping: &Mapping{Columns: map[string]map[string]string{"products": {"Ref.": "id"}}}}, ProfileSeed, "products", nil},
		{"owners dump", "propietarios.csv", "id,name,ident_type,number_doc,phone,mobile,email,created_at,updated_at,deleted_at", Options{}, ProfileDump, "clients", nil},
		{"consults dump", "consultas.csv", "id,pet_id,vet_id,user_id,consult_at,type,anamnesis,objetive,final_diagnosis,treatment,therapeutic_plan,created_at,updated_at,deleted_at", Options{}, ProfileDump, "medical", nil},
		{"vaccinations dump", "vacunaciones.csv", "id,pet_id,vet_id,user_id,vaccine_type_id,laboratory,lot,details,vaccine_at,next_vaccine_at", Options{}, ProfileDump, "vaccines", nil},
		{"appointments dump", "citas.csv", "id,calendar_id,vet_id,owner_id,pet_id,user_id,type,subtype,summary,description,start,end,assistance,comments", Options{}, ProfileDump, "appointments", nil},
		{"invoice items", "detalle_facturas.csv", "id,id_factura,id_producto,cantidad,precio_unitario,total", Options{}, ProfileSeed, "invoice_items", nil},
		{"documents", "documentos.csv", "id,id_paciente,archivo,tipo", Options{}, ProfileSeed, "documents", nil},
		{"mascotas report as csv", "mascotas.csv", "Nombre,Especie,Raza,Peso,Género,E.Reproductivo,Nacimiento,Color,Fallecido,Nombres,TIdent,Ident.,Correo,Celular,Teléfono,Dirección,Contacto,TContacto,Vinculado,Actualizado,Autorización", Options{}, ProfileMascotas, "clients,pets", nil},
		{"mascotas report, pets only", "x.csv", "Nombre,Especie,Nombres,Celular", Options{Type: "pet"}, ProfileMascotas, "pets", nil},
		{"mascotas report forced seed", "mascotas.csv", "Nombre,Especie,Nombres,Celular", Options{Profile: ProfileSeed}, "", "", ErrMissing},
		{"unknown", "otra.csv", "a,b,c", Options{}, "", "", ErrUnrecognized},
		{"vaccines lacking pet", "vacunas.csv", "id,vacuna,fecha_aplicacion,lote", Options{}, "", "", ErrMissing},
		{"mapping column", "vacunas.csv", "id,Paciente,vacuna,fecha_aplicacion", Options{Mapping: &Mapping{Columns: map[string]map[string]string{"vaccines": {"paciente": "id_paciente"}}}}, ProfileSeed, "vaccines", nil},
		{"mapping file rule", "EXPORT_7.CSV", "id,nombre", Options{Mapping: &Mapping{Files: []FileRule{{Name: "export_*.csv", Type: "products", Profile: ProfileDump}}}}, ProfileDump, "products", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), tt.file, []byte(tt.header+"\n"+strings.Repeat("1,", strings.Count(tt.header, ","))+"1\n"))
			r, err := Open(p, tt.opts)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			in := r.Info()
			if in.Profile != tt.profile || strings.Join(in.Types, ",") != tt.types {
				t.Errorf("profile %s types %v; want %s %s\ncolumns %+v", in.Profile, in.Types, tt.profile, tt.types, in.Columns)
			}
		})
	}
}

func TestFileMatches(t *testing.T) {
	for name, want := range map[string]bool{
		"clientes": true, "clientes_2024": true, "export_clientes": true, "mis_clientes_nuevos": true,
		"clientesx": false, "xclientes": false, "": false,
	} {
		if got := fileMatches(name, []string{"clientes"}); got != want {
			t.Errorf("fileMatches(%q) = %v", name, got)
		}
	}
}

func TestLoadMapping(t *testing.T) {
	example := filepath.Join("..", "testdata", "source", "mapping-example.toml")
	m, err := LoadMapping(example)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) == 0 || len(m.Columns) == 0 || len(m.Vocabulary.Species) == 0 || len(m.Vocabulary.Vaccines) == 0 {
		t.Errorf("example not fully read: %+v", m)
	}
	if r, ok := m.rule("/x/Export_Clientes_2024.CSV"); !ok || r.Type != "clients" {
		t.Errorf("rule = %+v, %v", r, ok)
	}
	bad := []struct{ name, text, want string }{
		{"syntax", "[columns", "mapping"},
		{"unknown key", "[vocabulary]\nspecies = {}\ncolours = {}\n", "unknown keys vocabulary.colours"},
		{"unknown type", "[columns.gatos]\nx = \"nombre\"\n", "columns.gatos: unknown type"},
		{"unknown field", "[columns.clients]\n\"Tel\" = \"fax\"\n", `"Tel" maps to unknown field "fax"`},
		{"bad profile", "[[file]]\nname = \"a.csv\"\nprofile = \"x\"\n", `unknown profile "x"`},
		{"bad type", "[[file]]\nname = \"a.csv\"\ntype = \"x\"\n", `unknown type "x"`},
		{"empty name", "[[file]]\ntype = \"clients\"\n", "name is empty"},
		{"bad glob", "[[file]]\nname = \"[\"\n", "syntax error in pattern"},
		{"bad species", "[vocabulary.species]\nPez = \"pescado\"\n", `unknown species "pescado"`},
		{"bad sex", "[vocabulary.sex]\n1 = \"macho alfa\"\n", `unknown sex "macho alfa"`},
		{"bad status", "[vocabulary.status]\nx = \"maybe\"\n", `unknown status "maybe"`},
	}
	for _, tt := range bad {
		p := writeFile(t, t.TempDir(), "m.toml", []byte(tt.text))
		if _, err := LoadMapping(p); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := LoadMapping(filepath.Join(t.TempDir(), "none.toml")); err == nil {
		t.Error("missing mapping file loaded")
	}
	var nilMap *Mapping
	if _, ok := nilMap.rule("a"); ok {
		t.Error("nil mapping has rules")
	}
}

func TestMappingExampleIsDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "okvet-format.md"))
	if err != nil {
		t.Fatalf("the documentation this test keeps in step with the code is missing: %v", err)
	}
	example, err := os.ReadFile(filepath.Join("..", "testdata", "source", "mapping-example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), strings.TrimSpace(string(example))) {
		t.Error("docs/okvet-format.md does not quote testdata/source/mapping-example.toml verbatim")
	}
}
