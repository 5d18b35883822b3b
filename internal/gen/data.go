package gen

// Word lists for realistic Colombian data. Every string must be encodable in
// Windows-1252 (the excel-es variant), except U+202A which that variant drops.

var firstNamesM = []string{
	"José", "Juan Carlos", "Andrés", "Carlos", "Luis", "Jorge", "Sebastián", "Santiago",
	"Julián", "Camilo", "Felipe", "Óscar", "Hernán", "Néstor", "Germán", "Diego",
	"Alejandro", "Mateo", "Nicolás", "Jesús", "Iván", "Fabián", "Héctor", "Ramón",
	"Juan Pablo", "Luis Fernando", "Álvaro", "Jhon Jairo", "Efraín", "Martín",
}

var firstNamesF = []string{
	"María", "María José", "Ana", "Luisa", "Valentina", "Daniela", "Camila", "Paola",
	"Sofía", "Natalia", "Ángela", "Mónica", "Lucía", "Verónica", "Catalina", "Juliana",
	"Marcela", "Gloria", "Beatriz", "Inés", "Andrea", "Carolina", "Diana", "Sandra",
	"Luz Marina", "María Fernanda", "Leidy", "Yolanda", "Patricia", "Mariana",
}

var surnames = []string{
	"Muñoz", "Peña", "Rodríguez", "Gómez", "González", "Martínez", "García", "López",
	"Hernández", "Sánchez", "Ramírez", "Pérez", "Díaz", "Torres", "Rojas", "Vargas",
	"Moreno", "Gutiérrez", "Jiménez", "Castro", "Ortiz", "Álvarez", "Ruiz", "Suárez",
	"Ospina", "Cárdenas", "Quintero", "Zapata", "Londoño", "Restrepo", "Valencia", "Arango",
	"Giraldo", "Correa", "Mejía", "Ibáñez", "Betancur", "Cortés", "Salazar", "Ávila",
	"Córdoba", "Mosquera", "Ñáñez", "Duque", "Agudelo", "Patiño", "Bermúdez", "Montoya",
}

type city struct {
	name string
	area string // landline indicativo (since 2021: 60X)
}

var cities = []city{
	{"Bogotá", "601"}, {"Bogotá", "601"}, {"Bogotá", "601"}, {"Medellín", "604"}, {"Medellín", "604"},
	{"Cali", "602"}, {"Cali", "602"}, {"Barranquilla", "605"}, {"Bucaramanga", "607"}, {"Pereira", "606"},
	{"Cartagena", "605"}, {"Manizales", "606"}, {"Cúcuta", "607"}, {"Ibagué", "608"}, {"Villavicencio", "608"},
	{"Santa Marta", "605"}, {"Chía", "601"}, {"Envigado", "604"}, {"Popayán", "602"}, {"Zipaquirá", "601"},
}

var mobilePrefixes = []string{
	"300", "301", "302", "304", "305", "310", "311", "312", "313", "314", "315", "316",
	"317", "318", "319", "320", "321", "322", "323", "324", "350", "351",
}

var emailDomains = []string{
	"gmail.com", "gmail.com", "gmail.com", "hotmail.com", "hotmail.com", "outlook.com",
	"yahoo.es", "yahoo.com", "une.net.co", "live.com",
}

var badEmails = []string{
	"juan.perez@@gmail", "maria@hotmail", "sin correo@x.com", "carlos.gomez.gmail.com",
	"@gmail.com", "ana@", "jorge rojas@gmail.com", "pedro@gmail..com", "luisa@@hotmail.com", "notiene@",
}

var streetTypes = []string{"Calle", "Calle", "Carrera", "Carrera", "Cra.", "Cl.", "Av. Calle", "Transversal", "Diagonal", "Avenida"}
var addressExtras = []string{"", "", "", " Apto 502", " Apto 301", " Casa 2", " Torre 3 Apto 1204", " Int. 4", ", Barrio Laureles", ", Conjunto Los Pinos"}

var clientNotes = []string{
	"", "", "", "", "", "Cliente frecuente", "Prefiere contacto por WhatsApp", "Referido por Dr. Gómez",
	"Paga con Nequi", "Llamar después de las 5 p. m.", "Tiene 3 mascotas; descuento 10%", "Dirección antigua: Calle 10 # 5-20",
}

var htmlNotes = []string{
	"<b>Moroso</b>", "<b>Importante:</b> cliente VIP", "<script>alert(1)</script>", "<i>No enviar SMS</i>",
	"Nota <br> con salto", "<a href=\"http://x.co\">web</a>",
}

type species struct {
	name   string
	group  uint8  // 0 canine, 1 feline, 2 other
	weight [2]int // tenths of kg, min and max
	breeds []string
	names  []string
}

var dogBreeds = []string{
	"Criollo(a)", "Criollo(a)", "Criollo(a)", "Labrador Retriever", "Golden Retriever", "French Poodle",
	"Schnauzer", "Pastor Alemán", "Bulldog Francés", "Shih Tzu", "Yorkshire Terrier", "Pinscher",
	"Beagle", "Pug", "Chihuahua", "Pitbull", "Husky Siberiano", "Border Collie", "Cocker Spaniel",
}
var catBreeds = []string{"Criollo(a)", "Criollo(a)", "Criollo(a)", "Siamés", "Persa", "Angora", "Bengalí", "Maine Coon", "Azul Ruso"}

var petNames = []string{
	"Luna", "Max", "Rocky", "Lola", "Toby", "Kira", "Simba", "Mía", "Coco", "Bruno", "Canela", "Nala",
	"Zeus", "Lucas", "Princesa", "Manchas", "Pelusa", "Tommy", "Milo", "Chispa", "Niño", "Peluchín",
	"Muñeca", "Benito", "Pepa", "Pancho", "Oreo", "Kiara", "Thor", "Lulú", "Mateo", "Ñoño", "Sasha",
	"Bella", "Copito", "Salchichón", "Tobías", "Dulce", "Frida", "Rambo",
}
var smallPetNames = []string{"Piolín", "Lorenzo", "Copito", "Bugs", "Tambor", "Pelusa", "Nube", "Kiwi", "Pancho", "Rayo"}

var speciesList = []species{
	{"Canino", 0, [2]int{20, 450}, dogBreeds, petNames},
	{"Felino", 1, [2]int{25, 70}, catBreeds, petNames},
	{"Perro", 0, [2]int{20, 450}, dogBreeds, petNames},
	{"Gato", 1, [2]int{25, 70}, catBreeds, petNames},
	{"Ave", 2, [2]int{1, 6}, []string{"Periquito", "Canario", "Loro", "Cacatúa", "Ninfa"}, smallPetNames},
	{"Conejo", 2, [2]int{10, 35}, []string{"Criollo(a)", "Cabeza de león", "Mini Lop", "Holandés"}, smallPetNames},
	{"Roedor", 2, [2]int{1, 12}, []string{"Hámster", "Cobayo", "Hámster ruso", "Jerbo"}, smallPetNames},
}

// speciesWeights are per-mille weights for speciesList.
var speciesWeights = []int{540, 330, 30, 30, 25, 25, 20}

var unknownSpecies = []string{"Dragón", "Unicornio", "Dinosaurio", "Pokémon", "Extraterrestre"}

var petColors = []string{"Negro", "Blanco", "Café", "Atigrado", "Tricolor", "Gris", "Dorado", "Blanco y negro", "Carey", "Canela", "Crema", "Bicolor"}

var petNotes = []string{
	"", "", "", "", "", "", "Agresivo, usar bozal", "Alérgico a la penicilina", "Paciente nervioso",
	"Come concentrado Chunky", "Adoptado en fundación", "Vive en finca",
}

// badDates are unparseable dates. No placeholder words ("N/A", "sin dato"):
// an importer may read those as blank rather than as malformed.
var badDates = []string{"31/02/2020", "30/02/2019", "2020-02-30", "15/13/2018", "00/00/0000", "ayer", "2021-13-45", "32/01/2022", "29/02/2023", "12/31/2021"}

var medicalTypes = []string{"Consulta", "Consulta", "Consulta", "Control", "Control", "Urgencia", "Cirugía", "Vacunación", "Hospitalización", "Desparasitación"}

var complaints = []string{
	"Paciente presenta vómito desde hace 2 días", "Propietario reporta prurito intenso", "Cojera en miembro posterior derecho",
	"Revisión general", "Decaimiento y anorexia", "Tos seca nocturna", "Diarrea con sangre", "Otitis recurrente, sacude la cabeza",
	"Control post-quirúrgico de esterilización", "Lesión en almohadilla", "Pérdida de pelo en zona lumbar", "Estornudos y secreción nasal",
	"Ingestión de cuerpo extraño (calcetín)", "Convulsiones episódicas", "Control de peso", "Mordedura de otro perro",
}

var examNotes = []string{
	"T 38,9 °C; FC 110 lpm; FR 28 rpm", "Mucosas rosadas, TLLC < 2 s", "Deshidratación 5%",
	"Abdomen tenso a la palpación", "Ganglios sin alteraciones", "Dolor a la manipulación de cadera",
	"Se observa sarro grado II", "Pulgas y garrapatas presentes",
}

var diagnoses = []string{
	"Otitis externa", "Gastroenteritis", "Dermatitis alérgica", "Enfermedad periodontal", "Parvovirosis",
	"Displasia de cadera", "Obesidad", "Insuficiencia renal crónica", "Conjuntivitis", "Fractura de radio",
	"Paciente sano", "Moquillo canino", "Ehrlichiosis", "Babesiosis", "Giardiasis", "Dermatofitosis",
	"Dermatitis alérgica por pulgas (DAPP)", "Cistitis", "Piometra", "Hipotiroidismo", "Diabetes mellitus",
	"Traqueobronquitis infecciosa", "Gingivitis", "Leptospirosis (sospecha)",
}

var treatments = []string{
	"Amoxicilina 250 mg cada 12 h por 7 días", "Meloxicam 0,1 mg/kg cada 24 h por 5 días",
	"Doxiciclina 10 mg/kg cada 24 h por 28 días", "Limpieza ótica y Otomax cada 12 h",
	"Fluidoterapia con Lactato de Ringer", "Metronidazol 25 mg/kg cada 12 h", "Dieta blanda 3 días",
	"Desparasitación con Drontal Plus", "Bravecto según peso", "Cirugía programada",
	"Control en 8 días", "Omeprazol 1 mg/kg cada 24 h", "Baños con clorhexidina 2 veces por semana",
}

var medicalHTML = []string{"<b>Urgente</b>: revisar en 24 h", "<script>alert(1)</script>", "Ver <i>anexo</i>", "<p>Sin novedad</p>"}

var vets = []string{"VET01", "VET02", "VET03", "VET04", "VET05", "VET06", "VET07", "VET08"}

var dogVaccines = []string{"Rabia", "Parvovirus", "Moquillo", "Leptospirosis", "Polivalente", "Polivalente", "Puppy DP", "Bordetella"}
var catVaccines = []string{"Triple felina", "Triple felina", "Rabia", "Leucemia felina"}
var otherVaccines = []string{"Polivalente", "Rabia"}
var vaccineLabs = []string{"Zoetis", "MSD Salud Animal", "Boehringer Ingelheim", "Virbac", "Labyes", "Vecol"}

var appointmentReasons = []string{
	"Consulta general", "Vacunación", "Control", "Peluquería", "Cirugía programada", "Desparasitación",
	"Retiro de puntos", "Baño medicado", "Urgencia", "Ecografía",
}
var appointmentStates = []string{"atendida", "atendida", "atendida", "atendida", "programada", "programada", "cancelada", "no asistió"}
var unknownStates = []string{"reprogramada", "pendiente confirmar", "en espera", "confirmada"}
var appointmentNotes = []string{"", "", "", "", "Confirmó por WhatsApp", "Traer carné de vacunas", "Ayuno de 8 horas", "Llega tarde usualmente"}

type productCategory struct {
	name    string
	prefix  string
	service bool
	unit    string
	price   [2]int // pesos, min and max (multiples of 100)
	names   []string
}

var productCategories = []productCategory{
	{"Medicamentos", "MED", false, "Unidad", [2]int{8000, 180000}, []string{
		"Amoxicilina 500 mg x 10 tabletas", "Meloxicam suspensión 10 ml", "Otomax 15 g", "Drontal Plus perro",
		"Bravecto 10-20 kg", "NexGard Spectra M", "Simparica 5-10 kg", "Metronidazol 250 mg x 10",
		"Carprofeno 100 mg x 14", "Frontline Plus gato", "Prednisolona 5 mg x 20", "Cefalexina 500 mg x 10"}},
	{"Alimentos", "ALI", false, "Bulto", [2]int{12000, 320000}, []string{
		"Chunky adulto 4 kg", "Dog Chow cachorro 2 kg", "Hill's k/d 1,5 kg", "Royal Canin Renal 2 kg",
		"Pro Plan gato adulto 3 kg", "Agility Gold 8 kg", "Whiskas lata 85 g", "Max Cat 1 kg", "Ringo adulto 15 kg"}},
	{"Accesorios", "ACC", false, "Unidad", [2]int{5000, 150000}, []string{
		"Collar isabelino talla M", "Correa retráctil 5 m", "Cama mediana", "Arena para gato 4,5 kg",
		"Juguete hueso de caucho", "Guacal pequeño", "Pechera ajustable", "Cepillo de cerdas"}},
	{"Servicios", "SRV", true, "Servicio", [2]int{25000, 450000}, []string{
		"Consulta general", "Consulta especializada", "Aplicación vacuna antirrábica", "Baño y peluquería perro pequeño",
		"Esterilización felina hembra", "Hospitalización día", "Limpieza dental", "Urgencia nocturna"}},
	{"Laboratorio", "LAB", true, "Examen", [2]int{30000, 250000}, []string{
		"Hemograma completo", "Química sanguínea", "Ecografía abdominal", "Radiografía (2 proyecciones)",
		"Coprológico", "Test de Ehrlichia", "Citología de oído", "Uroanálisis"}},
}

var invoiceStates = []string{"Pagada", "Pagada", "Pagada", "Pagada", "Pagada", "Pagada", "Pendiente", "Anulada"}
var paymentMethods = []string{"Efectivo", "Efectivo", "Tarjeta débito", "Tarjeta crédito", "Nequi", "Daviplata", "Transferencia", "Bancolombia QR"}
var invoiceNotes = []string{"", "", "", "", "", "Abono pendiente", "Cliente pagó con dos medios", "Descuento por convenio"}

var documentTypes = []string{"Radiografía", "Ecografía", "Laboratorio", "Consentimiento informado", "Fórmula médica", "Foto", "Remisión"}
var documentDescs = []string{"", "Resultado adjunto", "Firmado por el propietario", "Rx tórax lateral", "Control de herida", "Antes de cirugía", "Cuadro hemático"}

var escapingPaths = []string{"../etc/passwd", "/etc/passwd", "adjuntos/../../secreto.pdf", "../../../home/usuario/.ssh/id_rsa", "/var/lib/okvet/backup.sql"}
