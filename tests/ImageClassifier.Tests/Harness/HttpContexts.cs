using System.Text;
using Microsoft.AspNetCore.Http;

namespace ImageClassifier.Tests.Harness;

/// <summary>Builds <see cref="DefaultHttpContext"/> requests and reads their responses back.</summary>
internal static class HttpContexts
{
    public static DefaultHttpContext Request(string? contentType, byte[] body, bool withContentLength = true)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        if (withContentLength)
        {
            context.Request.ContentLength = body.Length;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    public static DefaultHttpContext Request(string? contentType, string body, params (string Name, string Value)[] headers)
    {
        var context = Request(contentType, Encoding.UTF8.GetBytes(body));
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context;
    }

    public static byte[] ResponseBody(HttpContext context)
    {
        var body = (MemoryStream)context.Response.Body;
        return body.ToArray();
    }

    public static string ResponseText(HttpContext context) => Encoding.UTF8.GetString(ResponseBody(context));
}
