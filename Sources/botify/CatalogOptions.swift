import ArgumentParser
import Core

/// `--catalog PATH`, shared by every command that needs tracks. Any importable file works
/// (shipped CSV layout, course JSON lines); without it, `CatalogLocator` finds the default.
struct CatalogOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Catalog file (.csv or course .jsonl). Default: $BOTIFY_CATALOG, else catalog/tracks.csv in this or a parent directory, else the one installed with botify.",
        valueName: "PATH"))
    var catalog: String?

    func catalogPath() throws -> String {
        try CatalogLocator(flag: catalog).locate()
    }

    func loadCatalog() throws -> Catalog {
        try CatalogLoader.load(path: catalogPath())
    }
}
