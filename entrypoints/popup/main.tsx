document.body.append('Genuine');
