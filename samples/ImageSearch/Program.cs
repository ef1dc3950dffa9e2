using ImageSearch;

// Index a folder of images, then rank them against text and image queries:
//   dotnet run --project samples/ImageSearch -- <model folder or hub id> <image folder> --text "a dog on a beach" --image query.jpg
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await ImageSearchCommand.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
