package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/importer"
)

// mediaNotice refreshes this database's list of referenced media files and
// tells the operator about stored files no database using the media
// folder references (left by a crash, or by a database since dropped).
func mediaNotice(ctx context.Context, w io.Writer, g *Globals, pool *pgxpool.Pool, media string) {
	if err := importer.WriteMediaRefs(ctx, pool, media, importer.DatabaseKey(pool)); err != nil {
		fmt.Fprintln(w, g.L.F("Aviso: no se pudo actualizar la lista de adjuntos de esta base: %v", "Notice: could not update this database's list of attachments: %v", err))
		return
	}
	left, err := importer.UnreferencedMedia(media)
	if err != nil || len(left) == 0 {
		return
	}
	shown := left
	if len(shown) > 5 {
		shown = shown[:5]
	}
	fmt.Fprintln(w, g.L.F("Aviso: %s archivo(s) del almacén de adjuntos %s no los referencia ninguna base de datos que lo use: %s",
		"Notice: %s file(s) in the attachment store %s are referenced by no database using it: %s",
		g.L.Int(len(left)), media, strings.Join(shown, ", ")))
}
