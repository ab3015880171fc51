namespace Bulwark.Delivery.Spool;

/// <summary>
/// The folders both spools keep under their root: tmp/ (bodies being received), dead/ (dead
/// letters, in one format whichever spool wrote them) and the folder of committed mail, queue/
/// for <see cref="FileSpool"/> and segments/ for the segment log. Created if missing.
/// </summary>
public sealed record SpoolFolders(string Root, string Committed, string Tmp, string Dead)
{
    public static SpoolFolders Create(string root, string committed)
    {
        var full = Path.GetFullPath(root);
        var folders = new SpoolFolders(full, Path.Combine(full, committed), Path.Combine(full, "tmp"), Path.Combine(full, "dead"));
        Directory.CreateDirectory(folders.Committed);
        Directory.CreateDirectory(folders.Tmp);
        Directory.CreateDirectory(folders.Dead);
        return folders;
    }

    /// <summary>Deletes a file if it can; a file already gone or held open is left to recovery.</summary>
    internal static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
