using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

/// <summary>Serving the providers over HTTP.</summary>
internal static class ServerSnippets
{
    public static void Serve(string[] args)
    {
        #region snippet: server
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddEmbeddings();

        var app = builder.Build();
        app.MapEmbeddings();              // the bearer token comes from the auth_token environment variable
        app.Run("http://0.0.0.0:7860");   // the Python LitServe server's port: its clients keep working
        #endregion
    }
}
